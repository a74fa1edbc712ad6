// What the daemon's core loads with it: node:https (and tls under it) waits for the first https request (issue 17's
// cold start: ~7 ms of CPU on every start that most sessions never use).
// Rule: the real bundle, imported by a real Node process; Node's own list of the built-ins it loaded.

import test from "ava";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { DAEMON_START_FLAGS } from "../../../common/daemon-start-flags.js";
import { REPO_ROOT } from "../../helpers/sandbox-env.js";

test("importing the daemon's core loads neither node:https nor node:tls", (t) => {
  const folder = join(REPO_ROOT, "dist", "bundle", "daemon");
  const core = readdirSync(folder).find((name) => /^daemon-core-[A-Z0-9]+\.mjs$/.test(name));
  if (!core) return t.fail(`no daemon-core chunk in ${folder}: run npm run build`);
  const script = `await import(${JSON.stringify(join(folder, core))}); console.log(JSON.stringify(process.moduleLoadList));`;
  const loaded = JSON.parse(
    execFileSync(process.execPath, [...DAEMON_START_FLAGS, "--input-type=module", "-e", script], { encoding: "utf8" }),
  ) as string[];
  t.true(loaded.includes("NativeModule http"), "the list is the one we think (http is loaded)");
  t.false(loaded.includes("NativeModule https"));
  t.false(loaded.includes("NativeModule tls"));
});
