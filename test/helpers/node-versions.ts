// The Node binaries the package supports, as .ci/run installs them from npm's `node` package into the CI cache.
// Rule: a missing binary is a loud failure naming the command that installs it, never a skipped test.

import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** the versions CI runs on: 24 runs everything (it is the test runner's own Node there), 22 and 26 the named suites */
export const NODE_VERSIONS = ["22.23.3", "24.21.0", "26.10.0"] as const;

/** ~/.cache/devsecrets-ci/node-<version>/node_modules/node/bin/node, where .ci/run installs each version */
export function nodeBinary(version: string): string {
  return join(homedir(), ".cache", "devsecrets-ci", `node-${version}`, "node_modules", "node", "bin", "node");
}

/** the binary of `version`; throws with the install command when it is absent */
export function requireNode(version: string): string {
  const binary = nodeBinary(version);
  if (!existsSync(binary)) {
    throw new Error(
      `Node ${version} is not installed at ${binary}: run bash .ci/run, or npm install --prefix ${join(homedir(), ".cache", "devsecrets-ci", `node-${version}`)} node@${version}`,
    );
  }
  return binary;
}
