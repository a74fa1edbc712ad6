// Reads one project file: a regular file of at most 1 MiB, off the event loop, so no file can block or flood the daemon.
// Rule: a failure is DS_PROJECT_FILE naming the path and the errno, never the file's text.

import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import { DevsecretsError } from "../../common/errors.js";

export const PROJECT_FILE_LIMIT_BYTES = 1024 * 1024;

const WHY: Readonly<Record<string, string>> = {
  ENAMETOOLONG: "a name in the path is too long",
  ELOOP: "too many symbolic links, or a symlink loop",
  EIO: "an input/output error",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EISDIR: "it is a folder",
};

/** DS_PROJECT_FILE for `path`, with the errno of a failed call or a sentence of what is wrong with the file */
export function projectFileError(path: string, failure: unknown): DevsecretsError {
  if (typeof failure === "string") return new DevsecretsError("DS_PROJECT_FILE", `${path} ${failure}`);
  const code = String((failure as NodeJS.ErrnoException)?.code ?? "an unknown error");
  const why = WHY[code];
  return new DevsecretsError("DS_PROJECT_FILE", `cannot read ${path}: ${code}${why ? ` (${why})` : ""}`);
}

/** the file's text; O_NONBLOCK so that a FIFO swapped in after the stat cannot hold the open, fstat on what was opened */
export async function readProjectFile(path: string): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const info = await handle.stat();
    if (!info.isFile()) throw projectFileError(path, "is not a regular file");
    if (info.size > PROJECT_FILE_LIMIT_BYTES) throw tooLarge(path);
    // read until the end, stopping one chunk past the limit: a file whose stat says 0 (/proc, /sys) may hold more
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
      if (length > PROJECT_FILE_LIMIT_BYTES) throw tooLarge(path);
    }
    return Buffer.concat(chunks, length).toString("utf8");
  } catch (error) {
    if (error instanceof DevsecretsError) throw error;
    throw projectFileError(path, error);
  } finally {
    await handle?.close().catch(() => {});
  }
}

/** the same, synchronously, for the callers that cannot wait (the trust listing's cache check) */
export function readProjectFileSync(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const info = fstatSync(fd);
    if (!info.isFile()) throw projectFileError(path, "is not a regular file");
    if (info.size > PROJECT_FILE_LIMIT_BYTES) throw tooLarge(path);
    const buffer = Buffer.allocUnsafe(PROJECT_FILE_LIMIT_BYTES + 1);
    let length = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > PROJECT_FILE_LIMIT_BYTES) throw tooLarge(path);
    }
    return buffer.subarray(0, length).toString("utf8");
  } catch (error) {
    if (error instanceof DevsecretsError) throw error;
    throw projectFileError(path, error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function tooLarge(path: string): DevsecretsError {
  return projectFileError(path, `is larger than ${PROJECT_FILE_LIMIT_BYTES / 1024 / 1024} MiB`);
}
