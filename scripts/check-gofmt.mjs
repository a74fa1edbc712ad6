// `npm run lint`'s Go half: fails when gofmt would change a file under shims/go, naming the files.
// Rule: prints nothing when the tree is formatted; a missing gofmt fails loudly (Go is a CI requirement).

import { spawnSync } from "node:child_process";

const result = spawnSync("gofmt", ["-l", "shims/go"], { encoding: "utf8" });
if (result.error) {
  console.error(`check-gofmt: gofmt could not run (${result.error.code}); install Go 1.22 or later`);
  process.exit(1);
}
const drift = result.stdout.trim();
if (result.status !== 0 || drift !== "") {
  console.error(`check-gofmt: run \`gofmt -w shims/go\`; not formatted:\n${drift}${result.stderr}`);
  process.exit(1);
}
