// doctor's node row against package.json's engines: 22.14 is the floor (--disable-sigusr1, --permission).
// Rule: the versions around the floor, and the engines field itself, so the two cannot drift apart.

import test from "ava";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { OLDEST_NODE, nodeCheck } from "../../../cli/commands/doctor.js";
import { REPO_ROOT } from "../../helpers/sandbox-env.js";

test("22.14 and later pass; 20.19 and 22.13 fail with a hint naming 22.14 and how to get it", (t) => {
  for (const version of ["22.14.0", "22.23.3", "24.21.0", "26.10.0", "23.0.0"]) t.true(nodeCheck(version).ok, version);
  for (const version of ["20.19.5", "22.13.1", "21.7.3", "18.20.0"]) {
    const check = nodeCheck(version);
    t.false(check.ok, version);
    t.regex(check.hint ?? "", /22\.14 or newer.*npx -p node@24/);
  }
});

test("the floor is package.json's engines.node", (t) => {
  const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { engines: { node: string } };
  t.is(pkg.engines.node, `>=${OLDEST_NODE.replace(/\.0$/, "")}`);
});
