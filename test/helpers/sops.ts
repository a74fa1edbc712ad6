// The real sops binary for the sops:// tests, found where `go install` puts it; encrypting runs it with a recipient only.
// Rule: a missing sops fails the test with what to run; it is never skipped.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

export const SOPS_INSTALL = "go install github.com/getsops/sops/v3/cmd/sops@v3.13.3";

export function sopsPath(): string {
  let gopath: string;
  try {
    gopath = execFileSync("go", ["env", "GOPATH"], { encoding: "utf8" }).trim();
  } catch (error) {
    throw new Error(`cannot run \`go env GOPATH\` to find sops; run \`bash .ci/run\` (it runs \`${SOPS_INSTALL}\`)`, {
      cause: error,
    });
  }
  const binary = join(gopath, "bin", "sops");
  if (!existsSync(binary))
    throw new Error(`sops is not installed at ${binary}; run \`bash .ci/run\` (it runs \`${SOPS_INSTALL}\`)`);
  return binary;
}

/** writes `plain` encrypted to `recipient` at `target` (the format from target's extension); no plaintext stays */
export function sopsEncrypt(target: string, plain: string, recipient: string): void {
  const dir = mkdtempSync(join(tmpdir(), "ds-sops-"));
  try {
    const source = join(dir, basename(target));
    writeFileSync(source, plain, { mode: 0o600 });
    execFileSync(sopsPath(), ["encrypt", "--age", recipient, "--output", target, source], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      stdio: ["ignore", "ignore", "pipe"],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
