// Reads a file that a setting names (vault.caCert, VAULT_CACERT, ...): what a user or a project points devsecrets at.
// Rule: a regular file of at most 1 MiB, opened without blocking (a FIFO or a device never stalls the daemon) and read
// off the event loop; anything else is DS_SETTING_FILE naming the setting and the path, never the file's content.

import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { DevsecretsError } from "./errors.js";

export const SETTING_FILE_LIMIT = 1024 * 1024;

function refuse(setting: string, path: string, why: string): DevsecretsError {
  return new DevsecretsError("DS_SETTING_FILE", `${setting} names ${path}, which ${why}`);
}

function kindOf(stats: {
  isDirectory(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
}): string {
  if (stats.isDirectory()) return "a folder";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isSocket()) return "a socket";
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return "a device";
  return "not a regular file";
}

/** the file's bytes; `setting` names what pointed here ("vault.caCert") for the error */
export async function readSettingFile(path: string, setting: string): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one; O_NOCTTY: a terminal
    // named here never becomes the daemon's
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    throw refuse(setting, path, `cannot be opened (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw refuse(setting, path, `is ${kindOf(stats)}`);
    if (stats.size > SETTING_FILE_LIMIT) throw refuse(setting, path, "is over 1 MiB");
    // a file may grow after fstat (or say 0, as /proc does): read at most one byte past the limit to tell
    const buffer = Buffer.alloc(SETTING_FILE_LIMIT + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > SETTING_FILE_LIMIT) throw refuse(setting, path, "is over 1 MiB");
    }
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof DevsecretsError) throw error;
    throw refuse(setting, path, `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  } finally {
    await handle.close();
  }
}
