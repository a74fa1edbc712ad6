// Where the devsecrets package sits (a checkout or an installed copy), for paths the CLI prints: docs, shims.
// Rule: found from this module's own file, never from the working directory; the bundle and tsc's output sit at
// different depths, so it walks up to the package.json named devsecrets.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let found: string | undefined;

export function packageRoot(): string {
  if (found) return found;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      if ((JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string }).name === "devsecrets")
        return (found = dir);
    } catch {
      // no package.json here (or bin/package.json's, which has no name): one folder up
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("the devsecrets package.json is not above the CLI");
    dir = up;
  }
}
