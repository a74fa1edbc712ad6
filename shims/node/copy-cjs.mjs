// Copies the plain-JS CommonJS preload next to its compiled siblings (tsc does not copy .cjs files).
// Rule: run after tsc by the build script; exits non-zero when the copy fails.
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "..", "dist", "shims", "node");
mkdirSync(target, { recursive: true });
copyFileSync(join(here, "register.cjs"), join(target, "register.cjs"));
