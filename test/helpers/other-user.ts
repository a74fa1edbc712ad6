// Processes of another uid (nobody) for tests that check what one process of a user can see of another.
// Rule: every process started here is stopped by its test, by pid.

import { chownSync, lstatSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { nodeForAnyUser } from "./node-for-any-user.js";
import { runProcess } from "./sandbox-env.js";

export const NOBODY = 65534;

export function chownTree(path: string, uid: number): void {
  chownSync(path, uid, uid);
  if (!lstatSync(path).isDirectory()) return;
  for (const name of readdirSync(path)) chownTree(join(path, name), uid);
}

/** the owner of /proc/<pid>: the kernel hands a non-dumpable process's files to root, the mark of PR_SET_DUMPABLE 0 */
export function procOwner(pid: number): number {
  return statSync(`/proc/${pid}/environ`).uid;
}

/** whether uid nobody may read /proc/<pid>/environ: a same-uid process may, unless the target is not dumpable */
export async function nobodyCanRead(pid: number): Promise<string> {
  const probe = `try { require("fs").readFileSync("/proc/${pid}/environ"); console.log("read") } catch (e) { console.log(e.code) }`;
  const result = await runProcess(nodeForAnyUser(), ["-e", probe], {
    uid: NOBODY,
    gid: NOBODY,
    env: { PATH: "/usr/bin:/bin" },
    timeoutMs: 20_000,
  });
  return result.stdout.trim();
}
