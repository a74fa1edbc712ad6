// Checks that a store's file or folder is private: ours, not a symlink, closed to group and other.
// Rule: refuse and say how to fix it; never loosen or silently repair a mode.

import { lstat } from "node:fs/promises";
import type { Stats } from "node:fs";
import { DevsecretsError } from "../../../common/errors.js";
import type { ErrorCode } from "../../protocol/error-codes.js";

export const STORE_UNSAFE: ErrorCode = "DS_STORE_UNSAFE";

export async function checkPrivate(
  path: string,
  what: string,
  options: { missingOk?: boolean; stat?: Stats } = {},
): Promise<void> {
  let info = options.stat;
  if (info === undefined) {
    try {
      info = await lstat(path);
    } catch (error) {
      if (options.missingOk && (error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw error;
    }
  }
  const fail = (why: string, hint: string): never => {
    throw new DevsecretsError(STORE_UNSAFE, `the ${what} ${path} ${why}`, { hint });
  };
  if (info.isSymbolicLink()) fail("is a symlink", `remove the link; devsecrets creates ${path} itself`);
  const folder = what.startsWith("folder");
  if (folder ? !info.isDirectory() : !info.isFile())
    fail(folder ? "is not a folder" : "is not a regular file", `move ${path} aside`);
  const me = typeof process.getuid === "function" ? process.getuid() : info.uid;
  if (info.uid !== me)
    fail(
      `is owned by uid ${info.uid}, not by you (uid ${me})`,
      `remove ${path}; someone else may be trying to read your secrets`,
    );
  const mode = info.mode & 0o777;
  if ((mode & 0o077) !== 0) {
    fail(
      `has mode ${mode.toString(8).padStart(4, "0")}, open to group or other`,
      `run \`chmod ${folder ? "700" : "600"} ${path}\` and try again`,
    );
  }
}
