// Session store in one passphrase-encrypted file, $XDG_STATE_HOME/devsecrets/session.enc (scrypt + AES-256-GCM).
// Rule: plaintext never touches disk; the file is rewritten whole via temp + fsync + rename, 0600 in a 0700 folder we own.

import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { constants } from "node:fs";
import { mkdir, open, rename, unlink } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { DevsecretsError } from "../../../common/errors.js";
import { Secret } from "../../../common/secret.js";
import type { SessionRecord, SessionStore } from "../session-store.js";
import { valueAccount } from "./keychain-names.js";
import { decodeSessionRecord, encodeSessionRecord, type PlainSessionRecord } from "./session-record-codec.js";
import { checkPrivate, STORE_UNSAFE } from "./private-path.js";

// header: magic(4) version(1) kdf(1) log2N(1) r(1) p(1) salt(16) nonce(12); all of it is authenticated (AAD)
const MAGIC = Buffer.from("DSSF", "latin1");
const VERSION = 1;
const KDF_SCRYPT = 1;
const SALT = 16;
const NONCE = 12;
const TAG = 16;
const HEADER = 9 + SALT + NONCE;
const MIN_LOG2N = 15;
const MAX_LOG2N = 22;

export interface ScryptParams {
  log2N: number;
  r: number;
  p: number;
}

const DEFAULT_SCRYPT: ScryptParams = { log2N: 15, r: 8, p: 1 };

interface Contents {
  v: 1;
  session: PlainSessionRecord | null;
  values: Record<string, string>;
}

interface DerivedKey {
  salt: Buffer;
  params: ScryptParams;
  key: Buffer;
}

/** $XDG_STATE_HOME/devsecrets/session.enc, else ~/.local/state/devsecrets/session.enc */
export function sessionFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), ".local", "state");
  return join(base, "devsecrets", "session.enc");
}

export class FileStore implements SessionStore {
  readonly kind = "file" as const;
  readonly path: string;
  readonly #passphrase: Secret;
  readonly #params: ScryptParams;
  #key: DerivedKey | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(path: string, passphrase: Secret, options: { scrypt?: ScryptParams } = {}) {
    if (passphrase.length === 0) throw new DevsecretsError("DS_USAGE", "the passphrase of the file store is empty");
    const params = options.scrypt ?? DEFAULT_SCRYPT;
    if (params.log2N < MIN_LOG2N || params.log2N > MAX_LOG2N) {
      throw new DevsecretsError("DS_INTERNAL", `scrypt N=2^${params.log2N} is outside 2^${MIN_LOG2N}..2^${MAX_LOG2N}`);
    }
    this.path = path;
    this.#passphrase = passphrase;
    this.#params = params;
  }

  async saveSession(record: SessionRecord): Promise<void> {
    return this.#update((c) => {
      c.session = encodeSessionRecord(record);
    });
  }

  async loadSession(): Promise<SessionRecord | null> {
    return this.#serial(async () => {
      const c = await this.#read();
      return c?.session ? decodeSessionRecord(c.session, this.path) : null;
    });
  }

  async removeSession(): Promise<void> {
    return this.#update((c) => {
      c.session = null;
    });
  }

  async getValue(projectId: string, name: string): Promise<Secret | null> {
    const account = valueAccount(projectId, name);
    return this.#serial(async () => {
      const value = (await this.#read())?.values[account];
      return typeof value === "string" ? new Secret(value) : null;
    });
  }

  async setValue(projectId: string, name: string, value: Secret): Promise<void> {
    const account = valueAccount(projectId, name);
    return this.#update((c) => {
      c.values[account] = value.reveal();
    });
  }

  async removeValue(projectId: string, name: string): Promise<boolean> {
    const account = valueAccount(projectId, name);
    let removed = false;
    await this.#update((c) => {
      removed = Object.hasOwn(c.values, account);
      delete c.values[account];
    });
    return removed;
  }

  /** zeroes the derived key held in memory (the wipe calls it) */
  forget(): void {
    this.#key?.key.fill(0);
    this.#key = null;
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(fn, fn);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  #update(change: (c: Contents) => void): Promise<void> {
    return this.#serial(async () => {
      const existing = await this.#read();
      const contents: Contents = existing ?? { v: 1, session: null, values: {} };
      change(contents);
      if (contents.session === null && Object.keys(contents.values).length === 0) {
        // nothing left to keep: remove the file rather than keep an empty ciphertext
        if (existing !== null) await unlink(this.path).catch(ignoreMissing);
        return;
      }
      await this.#write(contents);
    });
  }

  /** null when there is no file yet */
  async #read(): Promise<Contents | null> {
    await checkPrivate(dirname(this.path), "folder of the session file", { missingOk: true });
    let handle;
    try {
      handle = await open(this.path, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return null;
      if (code === "ELOOP") throw unsafe(`the session file ${this.path} is a symlink`);
      throw error;
    }
    let data: Buffer;
    try {
      await checkPrivate(this.path, "session file", { stat: await handle.stat() });
      data = await handle.readFile();
    } finally {
      await handle.close();
    }
    return this.#decrypt(data);
  }

  async #decrypt(data: Buffer): Promise<Contents> {
    if (data.length < HEADER + TAG || !timingSafeEqual(data.subarray(0, 4), MAGIC))
      throw this.#corrupt("not a devsecrets session file");
    if (data[4] !== VERSION || data[5] !== KDF_SCRYPT) throw this.#corrupt(`unknown format version ${data[4]}`);
    const params: ScryptParams = { log2N: data[6] ?? 0, r: data[7] ?? 0, p: data[8] ?? 0 };
    if (
      params.log2N < MIN_LOG2N ||
      params.log2N > MAX_LOG2N ||
      params.r < 1 ||
      params.r > 32 ||
      params.p < 1 ||
      params.p > 16
    ) {
      throw this.#corrupt("its key-derivation settings are out of range");
    }
    const salt = data.subarray(9, 9 + SALT);
    const nonce = data.subarray(9 + SALT, HEADER);
    const key = await this.#deriveFor(salt, params);
    const decipher = createDecipheriv("aes-256-gcm", key.key, nonce);
    decipher.setAAD(data.subarray(0, HEADER));
    decipher.setAuthTag(data.subarray(data.length - TAG));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(data.subarray(HEADER, data.length - TAG)), decipher.final()]);
    } catch {
      throw new DevsecretsError(
        "DS_PASSPHRASE_WRONG",
        `the passphrase does not open ${this.path} (or the file was altered)`,
      );
    }
    this.#key = key;
    try {
      const contents = JSON.parse(plain.toString("utf8")) as Contents;
      if (contents.v !== 1 || typeof contents.values !== "object" || contents.values === null) throw new Error("shape");
      return contents;
    } catch {
      throw this.#corrupt("its contents are not a session store");
    } finally {
      plain.fill(0);
    }
  }

  async #write(contents: Contents): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await checkPrivate(dir, "folder of the session file");
    const key = this.#key ?? (await this.#deriveFor(randomBytes(SALT), this.#params));
    this.#key = key;
    const header = Buffer.alloc(HEADER);
    MAGIC.copy(header, 0);
    header.writeUInt8(VERSION, 4);
    header.writeUInt8(KDF_SCRYPT, 5);
    header.writeUInt8(key.params.log2N, 6);
    header.writeUInt8(key.params.r, 7);
    header.writeUInt8(key.params.p, 8);
    key.salt.copy(header, 9);
    randomBytes(NONCE).copy(header, 9 + SALT);
    const cipher = createCipheriv("aes-256-gcm", key.key, header.subarray(9 + SALT, HEADER));
    cipher.setAAD(header);
    const plain = Buffer.from(JSON.stringify(contents), "utf8");
    let sealed: Buffer;
    try {
      sealed = Buffer.concat([header, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    } finally {
      plain.fill(0);
    }
    await writeAtomically(this.path, sealed);
  }

  async #deriveFor(salt: Buffer, params: ScryptParams): Promise<DerivedKey> {
    const cached = this.#key;
    if (cached?.salt.equals(salt) && sameParams(cached.params, params)) return cached;
    const N = 2 ** params.log2N;
    const key = await new Promise<Buffer>((resolve, reject) => {
      scrypt(
        this.#passphrase.reveal(),
        salt,
        32,
        { N, r: params.r, p: params.p, maxmem: 256 * N * params.r },
        (error, derived) => (error ? reject(error) : resolve(derived)),
      );
    });
    return { salt: Buffer.from(salt), params, key };
  }

  #corrupt(why: string): DevsecretsError {
    return new DevsecretsError("DS_INTERNAL", `the session file ${this.path} is unreadable: ${why}`, {
      hint: `move ${this.path} aside and run \`devsecrets login --store file\` again`,
    });
  }
}

/** temp file in the same folder (O_EXCL, 0600) + fsync + rename + fsync of the folder; the old file survives any failure */
async function writeAtomically(path: string, data: Buffer): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(
      temp,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw new DevsecretsError(
      "DS_INTERNAL",
      `could not write the session file ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      {
        cause: error,
        hint: `free disk space or fix the folder ${dir}; the previous session file is unchanged`,
      },
    );
  }
  const folder = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

function sameParams(a: ScryptParams, b: ScryptParams): boolean {
  return a.log2N === b.log2N && a.r === b.r && a.p === b.p;
}

function unsafe(message: string): DevsecretsError {
  return new DevsecretsError(STORE_UNSAFE, message, {
    hint: "remove the link or fix the owner and mode (folder chmod 700, file chmod 600), then try again",
  });
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
}
