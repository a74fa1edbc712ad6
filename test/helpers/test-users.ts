// Real local accounts made by a test (as root does in CI), for attacks of one user on another.
// Rule: only as root, each account removed by the test that made it (by name); a test that cannot make one fails.

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export interface TestUser {
  name: string;
  uid: number;
  gid: number;
}

/** a system account with its own group, no home and no login shell; throws with the reason where none can be made */
export function createTestUser(role: string): TestUser {
  if (process.getuid?.() !== 0)
    throw new Error(`this test makes real accounts and must run as root (uid ${process.getuid?.()})`);
  const name = `ds-${role}-${randomBytes(3).toString("hex")}`;
  execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", name], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
  return { name, uid, gid };
}

export function removeTestUser(user: TestUser | undefined): void {
  if (!user) return;
  try {
    execFileSync("userdel", [user.name], { stdio: "ignore" });
  } catch {
    // already gone
  }
}
