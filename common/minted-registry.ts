// The machine's registry of what the sandbox minted, kept across sessions: salted SHA-256 fingerprints, never values.
// Rule: only the daemon appends (0600, in the private state folder); `scan` reads it to call an earlier fake harmless.
// A live kind's value (a password a running server enforces) waits in a side file, fingerprints only, until what made
// it live is gone (settleLive): until then it is a real credential and never called harmless.

import { createHash, randomBytes } from "node:crypto";
import {
  appendFileSync,
  closeSync,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

export const MINTED_REGISTRY_FILE = "minted-registry";
const HEADER = "devsecrets minted registry v1";
/** values shorter than this are no token a rule reports; they are not recorded */
export const MIN_REGISTERED_LENGTH = 16;
/** about 6 MB; past it the older half is dropped when the daemon opens the file */
export const MAX_REGISTERED = 80_000;
/** the shortest line: a 64-digit fingerprint, a space, a kind of at least one character, a newline */
const MIN_LINE_BYTES = 67;

export function mintedRegistryPath(stateDirectory: string): string {
  return join(stateDirectory, MINTED_REGISTRY_FILE);
}

/** the side file of live values' fingerprints, waiting for their server or role to be gone */
export function liveHoldPath(registryPath: string): string {
  return `${registryPath}.live`;
}

/**
 * The text a fingerprint is taken of: a PEM block by its base64 body alone, so the key a file holds with other line
 * ends, other wrapping or inside a JSON string (\n escapes) is the key that was minted.
 */
export function registryForm(value: string): string {
  if (!value.startsWith("-----BEGIN ")) return value;
  return (
    value
      .replace(/-----(BEGIN|END) [A-Z0-9 ]*-----/g, "")
      // JSON's \n, and a notebook's \\n (a source line's escape, escaped again by JSON)
      .replace(/\\+[nr]/g, "")
      .replace(/\s+/g, "")
  );
}

function fingerprint(salt: Buffer, value: string): string {
  return createHash("sha256").update(salt).update(registryForm(value), "utf8").digest("hex");
}

/** the file's first line (up to 256 bytes) and its size; empty and 0 when it cannot be read */
function readHead(path: string): { head: string; size: number } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return { head: "", size: 0 };
  }
  try {
    const size = fstatSync(fd).size;
    const buffer = Buffer.alloc(256);
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    return { head: buffer.toString("utf8", 0, read).split("\n")[0] ?? "", size };
  } catch {
    return { head: "", size: 0 };
  } finally {
    closeSync(fd);
  }
}

function parseSalt(firstLine: string | undefined): Buffer | null {
  const match = /^devsecrets minted registry v1 ([0-9a-f]{64})$/.exec(firstLine ?? "");
  return match ? Buffer.from(match[1] as string, "hex") : null;
}

/** the daemon's side: appends one line per minted value */
export class MintedRegistryWriter {
  readonly #path: string;
  #salt: Buffer | null = null;
  #count = 0;
  /** fingerprints this writer appended: a session's own key (jwt/hs256, the dev CA) is minted again and again */
  #written = new Set<string>();

  constructor(path: string) {
    this.#path = path;
  }

  /** records the values of one mint under its kind; a failure to write costs only the recognition later */
  remember(kind: string, values: readonly string[]): boolean {
    const kept = values.filter((value) => value.length >= MIN_REGISTERED_LENGTH);
    if (kept.length === 0) return true;
    try {
      const salt = this.#open();
      const fresh = [...new Set(kept.map((value) => fingerprint(salt, value)))].filter((h) => !this.#written.has(h));
      if (fresh.length === 0) return true;
      appendFileSync(this.#path, fresh.map((hash) => `${hash} ${kind}\n`).join(""), { mode: 0o600 });
      for (const hash of fresh) this.#written.add(hash);
      this.#count += fresh.length;
      // a long-lived daemon trims at its next mint, as one that starts does
      if (this.#count > 2 * MAX_REGISTERED || this.#written.size > MAX_REGISTERED) {
        this.#salt = null;
        this.#written.clear();
      }
      return true;
    } catch {
      return false;
    }
  }

  /**
   * holds a live kind's values (fingerprints, under the registry's salt) apart until settleLive moves them in: a
   * password its server still enforces is a real credential. A failure to write costs only the recognition later.
   */
  holdLive(kind: string, values: readonly string[]): boolean {
    const kept = values.filter((value) => value.length >= MIN_REGISTERED_LENGTH);
    if (kept.length === 0) return true;
    try {
      const salt = this.#open();
      const held = liveHoldPath(this.#path);
      const header = `${HEADER} ${salt.toString("hex")}`;
      // a side file of another salt (the registry was removed and begun again) is of no use: begun again too
      if (readHead(held).head !== header) createPrivate(held, `${header}\n`);
      const lines = [...new Set(kept.map((value) => fingerprint(salt, value)))].map((hash) => `${hash} ${kind}\n`);
      appendFileSync(held, lines.join(""), { mode: 0o600 });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * the salt of the file, creating the file (and trimming an overgrown one) at the first mint. Only the head is read
   * unless the file is big enough to hold more than MAX_REGISTERED lines: a registry of a few MB cost every daemon
   * start 20-40 ms before its first sandbox answer when it was read and split whole
   */
  #open(): Buffer {
    if (this.#salt) return this.#salt;
    const { head, size } = readHead(this.#path);
    if (size > MIN_LINE_BYTES * (MAX_REGISTERED + 1)) return this.#openWhole();
    const salt = parseSalt(head);
    if (salt === null) {
      this.#salt = randomBytes(32);
      this.#create(`${HEADER} ${this.#salt.toString("hex")}\n`);
      return this.#salt;
    }
    this.#salt = salt;
    // at most this many lines: enough for the long-lived daemon's trim check in remember()
    this.#count = Math.floor(size / MIN_LINE_BYTES);
    return salt;
  }

  /** #open for a file that may be past MAX_REGISTERED lines: read whole, trimmed to its newest half when it is */
  #openWhole(): Buffer {
    let text = "";
    try {
      text = readFileSync(this.#path, "utf8");
    } catch {}
    const lines = text.split("\n").filter((line) => line !== "");
    const salt = parseSalt(lines[0]);
    if (salt === null) {
      this.#salt = randomBytes(32);
      this.#create(`${HEADER} ${this.#salt.toString("hex")}\n`);
      return this.#salt;
    }
    this.#salt = salt;
    this.#count = lines.length - 1;
    if (this.#count > MAX_REGISTERED) {
      const kept = lines.slice(1).slice(-Math.floor(MAX_REGISTERED / 2));
      this.#create(`${lines[0]}\n${kept.join("\n")}\n`);
      this.#count = kept.length;
    }
    return salt;
  }

  #create(text: string): void {
    createPrivate(this.#path, text);
  }
}

/** a new file by temp file and rename, 0600 from its first byte */
function createPrivate(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, "w", 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

/**
 * moves the held live fingerprints into the registry, once the caller knows nothing that made them live remains (the
 * server stopped, the role dropped); synchronous, so no mint can hold a value between the caller's check and the move.
 * Returns how many moved; held lines of another salt than the registry's are dropped, never moved.
 */
export function settleLive(registryPath: string): number {
  const held = liveHoldPath(registryPath);
  let text: string;
  try {
    text = readFileSync(held, "utf8");
  } catch {
    return 0;
  }
  const [header, ...rest] = text.split("\n");
  const lines = rest.filter((line) => line.length > 65 && line[64] === " ");
  let moved = 0;
  try {
    if (lines.length > 0 && readHead(registryPath).head === header && parseSalt(header) !== null) {
      appendFileSync(registryPath, `${lines.join("\n")}\n`, { mode: 0o600 });
      moved = lines.length;
    }
    unlinkSync(held);
  } catch {
    // left held: the next wipe or start tries again
  }
  return moved;
}

/** the reader's side (`scan`): which kind, if any, minted a value on this machine */
export class MintedRegistry {
  readonly #salt: Buffer;
  readonly #kinds: ReadonlyMap<string, string>;

  private constructor(salt: Buffer, kinds: Map<string, string>) {
    this.#salt = salt;
    this.#kinds = kinds;
  }

  /** the registry at `path`, or null when there is none (no sandbox value was ever minted here) or it is unreadable */
  static read(path: string): MintedRegistry | null {
    let text: string;
    try {
      // a registry another user could write would let them call a real leak harmless
      const info = statSync(path);
      if (typeof process.getuid === "function" && (info.uid !== process.getuid() || (info.mode & 0o022) !== 0))
        return null;
      text = readFileSync(path, "utf8");
    } catch {
      return null;
    }
    const lines = text.split("\n");
    const salt = parseSalt(lines[0]);
    if (salt === null) return null;
    const kinds = new Map<string, string>();
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.length > 65 && line[64] === " ") kinds.set(line.slice(0, 64), line.slice(65));
    }
    return new MintedRegistry(salt, kinds);
  }

  get size(): number {
    return this.#kinds.size;
  }

  /** the sandbox kind that minted `value` on this machine, or null */
  kindOf(value: string): string | null {
    if (registryForm(value).length < MIN_REGISTERED_LENGTH && value.length < MIN_REGISTERED_LENGTH) return null;
    return this.#kinds.get(fingerprint(this.#salt, value)) ?? null;
  }
}

/** for tests and the bench: a registry file written at once */
export function writeMintedRegistry(path: string, entries: ReadonlyArray<[kind: string, value: string]>): void {
  const writer = new MintedRegistryWriter(path);
  for (const [kind, value] of entries) writer.remember(kind, [value]);
}
