// The audit chain's head, kept apart from the trail: the last sequence number and hash, keyed with a per-user MAC key.
// Rule: a trail that no longer reaches its head was truncated or rewritten; the head file never holds an entry's content.

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readSync, renameSync, writeFileSync } from "node:fs";

export interface AuditHead {
  seq: number;
  hash: string;
}

/** where the head and its key live: beside the trail, so DEVSECRETS_AUDIT_FILE moves all three together */
export function auditHeadPaths(auditFile: string): { head: string; key: string } {
  return { head: `${auditFile}.head`, key: `${auditFile}.key` };
}

const HEAD_VERSION = 1;
/** fixed width, so the daemon overwrites the head in place with one write per append */
const HEAD_BYTES = 192;

function mac(key: Buffer, head: AuditHead): string {
  return createHmac("sha256", key)
    .update(`devsecrets-audit-head:${HEAD_VERSION}:${head.seq}:${head.hash}`)
    .digest("hex");
}

/** the head's bytes: one JSON line padded with spaces to HEAD_BYTES */
export function encodeAuditHead(key: Buffer, head: AuditHead): Buffer {
  const line = JSON.stringify({ v: HEAD_VERSION, seq: head.seq, hash: head.hash, mac: mac(key, head) });
  return Buffer.from(`${line.padEnd(HEAD_BYTES - 1, " ")}\n`, "utf8");
}

export type HeadReading =
  | { state: "absent" }
  | { state: "forged"; reason: string }
  | { state: "valid"; head: AuditHead };

/** reads and authenticates the head; "absent" when there is none yet (a trail older than 0.2.0, or a new one) */
export function readAuditHead(paths: { head: string; key: string }): HeadReading {
  const text = readSmallFile(paths.head);
  const key = readSmallFile(paths.key, "latin1");
  if (text === null) {
    // the key is made with the first head: a key without its head means the head was removed
    return key === null
      ? { state: "absent" }
      : { state: "forged", reason: "the head was removed (its key is still there)" };
  }
  if (key === null) return { state: "forged", reason: `the head's key ${paths.key} is missing` };
  let parsed: { v?: unknown; seq?: unknown; hash?: unknown; mac?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return { state: "forged", reason: "the head is not valid JSON" };
  }
  if (
    parsed.v !== HEAD_VERSION ||
    typeof parsed.seq !== "number" ||
    typeof parsed.hash !== "string" ||
    typeof parsed.mac !== "string"
  ) {
    return { state: "forged", reason: "the head lacks its fields" };
  }
  const head = { seq: parsed.seq, hash: parsed.hash };
  const expected = Buffer.from(mac(Buffer.from(key, "latin1"), head), "hex");
  const given = Buffer.from(parsed.mac, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { state: "forged", reason: "the head's MAC does not match: it was written without the key" };
  }
  return { state: "valid", head };
}

/** the per-user MAC key, made on first use (0600, temp file + rename so a reader never sees half a key) */
export function loadOrCreateHeadKey(keyPath: string): Buffer {
  const existing = readSmallFile(keyPath, "latin1");
  if (existing !== null && existing.length === 32) return Buffer.from(existing, "latin1");
  const key = randomBytes(32);
  const partial = `${keyPath}.${process.pid}.tmp`;
  writeFileSync(partial, key, { mode: 0o600, flag: "wx" });
  renameSync(partial, keyPath);
  return key;
}

/** a regular file of at most 4 KiB, or null when absent; O_NONBLOCK so a FIFO planted there cannot hang a reader */
function readSmallFile(path: string, encoding: BufferEncoding = "utf8"): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    return "";
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > 4096) return "";
    const buffer = Buffer.alloc(info.size);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, read).toString(encoding);
  } finally {
    closeSync(fd);
  }
}
