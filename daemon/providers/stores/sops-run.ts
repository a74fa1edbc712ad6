// Runs the sops binary to decrypt one file, handing it the age identity through a pipe on fd 3
// (SOPS_AGE_KEY_FILE=/dev/fd/3): never in its environment (readable in /proc/<pid>/environ for the process's life),
// never in a file. The decrypted document comes back on stdout, into memory only.
// Rule: a real pipe (pipe2 through koffi): Node's stdio pipes are socketpairs, which /dev/fd/N cannot reopen.

import { spawn } from "node:child_process";
import { closeSync, writeSync } from "node:fs";
import { DevsecretsError } from "../../../common/errors.js";
import { loadLibc } from "../../../common/native-libc.js";
import type { Secret } from "../../../common/secret.js";

const O_CLOEXEC = 0o2000000;
/** sops answers in well under a second; a stuck one must not hold a resolve for ever */
const TIMEOUT_MS = 20_000;
/** a decrypted document larger than the project limit is not a project's secrets */
const MAX_OUTPUT = 1024 * 1024;

/**
 * Nothing of the daemon's environment: sops needs only its key file and a PATH. A file of the project may list other
 * master keys beside age (DESIGN: sops, age only): its hc_vault key made sops send ~/.vault-token (found through
 * getent passwd when HOME is unset) to the vault_address the file names. So no Vault address is allowed, and HOME
 * names a folder that does not exist, where no key service finds a credential (Vault token, gcloud, az, gpg).
 */
const SOPS_ENV: Readonly<Record<string, string>> = {
  PATH: "/usr/bin:/bin",
  SOPS_AGE_KEY_FILE: "/dev/fd/3",
  SOPS_HC_VAULT_ALLOWLIST: "none",
  SOPS_DECRYPTION_ORDER: "age",
  HOME: "/nonexistent",
};

/** [read end, write end] of a new pipe, both close-on-exec (spawn's dup2 onto fd 3 clears it for the child's copy) */
function pipe(): [number, number] {
  const { libc, reason } = loadLibc();
  if (!libc)
    throw new DevsecretsError("DS_SOPS_MISSING", `sops:// cannot hand sops its key on this platform: ${reason}`, {
      hint: "sops:// needs Linux with glibc in this version",
    });
  const fds = [0, 0];
  const pipe2 = libc.func("int pipe2(_Out_ int *fds, int flags)");
  if (pipe2(fds, O_CLOEXEC) !== 0) throw new Error("pipe2 failed");
  return [fds[0] as number, fds[1] as number];
}

/** the decrypted document as JSON text; DS_SOPS_DECRYPT naming the file when sops refuses */
export function sopsDecrypt(binary: string, file: string, identity: Secret, what: string): Promise<string> {
  const [readEnd, writeEnd] = pipe();
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(binary, ["decrypt", "--output-type", "json", file], {
      env: SOPS_ENV,
      stdio: ["ignore", "pipe", "pipe", readEnd],
    });
  } finally {
    closeSync(readEnd);
  }
  try {
    writeSync(writeEnd, `${identity.reveal()}\n`);
  } finally {
    closeSync(writeEnd);
  }
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    let size = 0;
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.stdout?.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) child.kill("SIGKILL");
      else out.push(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(
        new DevsecretsError(
          "DS_SOPS_MISSING",
          `${what}: sops could not be started (${(error as NodeJS.ErrnoException).code ?? "error"})`,
        ),
      );
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      const text = Buffer.concat(out).toString("utf8");
      if (code === 0 && size <= MAX_OUTPUT) return resolve(text);
      reject(
        new DevsecretsError("DS_SOPS_DECRYPT", `${what}: sops could not decrypt it (${sopsReason(stderr, code)})`),
      );
    });
  });
}

/** why sops failed, in words that never quote the file: its stderr names the failure class, not values */
function sopsReason(stderr: string, code: number | null): string {
  if (/no identity matched|failed to get the data key|0 successful groups/i.test(stderr))
    return "it is not encrypted to your age recipient";
  if (/sops metadata not found/i.test(stderr)) return "it is not a sops-encrypted file";
  if (/MAC mismatch/i.test(stderr)) return "its MAC does not match: the file was changed by hand";
  if (/Error unmarshalling|could not unmarshal|Error loading file/i.test(stderr)) return "sops cannot parse it";
  return code === null ? "sops was stopped" : `sops exited with code ${code}`;
}
