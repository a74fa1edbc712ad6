// Attack: read keychain values out of the keychain helper's memory from another process of the user (issue 16, item 6).
// Rule: the helper, which holds passwords, is not dumpable and dumps no core, like the daemon.

import test from "ava";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killAndWait } from "../helpers/daemon-process.js";
import { nodeForAnyUser } from "../helpers/node-for-any-user.js";
import { chownTree, NOBODY, nobodyCanRead, procOwner } from "../helpers/other-user.js";
import { isAlive, REPO_ROOT, waitFor } from "../helpers/sandbox-env.js";

// a daemon-side KeychainClient whose helper answers "hygiene" (no keychain is needed for it); run as uid nobody
const CLIENT = `
import { KeychainClient } from ${JSON.stringify(join(REPO_ROOT, "dist/daemon/session/stores/keychain-client.js"))};
const client = new KeychainClient({ env: { PATH: "/usr/bin:/bin", HOME: process.env.HOME } });
const applied = await client.call("hygiene", "", "hygiene");
process.stdout.write(JSON.stringify({ helper: client.pid, applied }) + "\\n");
setInterval(() => {}, 1000);
`;

test("the keychain helper is not dumpable and dumps no core: another process of the same uid cannot read it", async (t) => {
  const home = mkdtempSync(join(tmpdir(), "ds-helper-"));
  chownTree(home, NOBODY);
  const pids: number[] = [];
  try {
    const child = spawn(nodeForAnyUser(), ["--input-type=module", "-e", CLIENT], {
      uid: NOBODY,
      gid: NOBODY,
      env: { PATH: "/usr/bin:/bin", HOME: home },
      stdio: ["ignore", "pipe", "pipe"],
    });
    pids.push(child.pid as number);
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (err += c));
    await waitFor(() => out.includes("\n") || child.exitCode !== null, 20_000, "the helper to answer");
    t.is(child.exitCode, null, err);
    const { helper, applied } = JSON.parse(out) as { helper: number; applied: string };
    pids.push(helper);
    t.is(applied, "core-limit-0,not-dumpable");
    t.regex(readFileSync(`/proc/${helper}/limits`, "utf8"), /^Max core file size\s+0\s+0\s+bytes/m);
    t.regex(readFileSync(`/proc/${helper}/status`, "utf8"), new RegExp(`^Uid:\\s+${NOBODY}\\s`, "m"));
    t.is(procOwner(helper), 0, "the kernel gave the helper's /proc to root: not dumpable");
    t.is(await nobodyCanRead(helper), "EACCES");
    t.regex(readFileSync(`/proc/${helper}/cmdline`, "utf8"), /--disable-sigusr1/);
  } finally {
    for (const pid of pids.reverse()) if (isAlive(pid)) await killAndWait(pid, "SIGKILL");
    rmSync(home, { recursive: true, force: true });
  }
});
