// FileStore: the SessionStore contract, plus what makes a passphrase file safe on disk.
// Rule: real files, real modes, a real EFBIG from `ulimit -f`; no mocked fs.

import test from "ava";
import { execFile } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Secret } from "../../../common/secret.js";
import { isDevsecretsError, type DevsecretsError } from "../../../common/errors.js";
import { FileStore, sessionFilePath } from "../../../daemon/session/stores/file-store.js";
import { PROJECT_A, sampleRecord, storeContract } from "./store-contract.js";

const PASS = new Secret("correct horse battery staple");

function tempStore(): { dir: string; path: string; store: FileStore; cleanup(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), "ds-fs-"));
  const path = join(dir, "state", "devsecrets", "session.enc");
  return {
    dir,
    path,
    store: new FileStore(path, PASS),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

storeContract("file", async () => tempStore());

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "no error";
  } catch (error) {
    return isDevsecretsError(error) ? error.code : String(error);
  }
}

test("file: creates a 0600 file in a 0700 folder, at $XDG_STATE_HOME/devsecrets/session.enc by default", async (t) => {
  const { path, store, cleanup } = tempStore();
  try {
    await store.saveSession(sampleRecord("file"));
    t.is(statSync(path).mode & 0o777, 0o600);
    t.is(statSync(join(path, "..")).mode & 0o777, 0o700);
    t.is(sessionFilePath({ XDG_STATE_HOME: "/x/state", HOME: "/h" }), "/x/state/devsecrets/session.enc");
    t.is(sessionFilePath({ HOME: "/h" }), "/h/.local/state/devsecrets/session.enc");
  } finally {
    await cleanup();
  }
});

test("file: a second store with the same passphrase reads what the first wrote", async (t) => {
  const { path, store, cleanup } = tempStore();
  try {
    await store.setValue(PROJECT_A, "A", new Secret("value-a"));
    await store.saveSession(sampleRecord("file"));
    const again = new FileStore(path, new Secret("correct horse battery staple"));
    t.is((await again.getValue(PROJECT_A, "A"))?.reveal(), "value-a");
    t.is((await again.loadSession())?.credential.reveal(), sampleRecord("file").credential.reveal());
  } finally {
    await cleanup();
  }
});

test("file: wrong passphrase gives DS_PASSPHRASE_WRONG", async (t) => {
  const { path, store, cleanup } = tempStore();
  try {
    await store.setValue(PROJECT_A, "A", new Secret("value-a"));
    const wrong = new FileStore(path, new Secret("not the passphrase"));
    const error = (await t.throwsAsync(wrong.getValue(PROJECT_A, "A"))) as DevsecretsError;
    t.is(error.code, "DS_PASSPHRASE_WRONG");
    t.is(await codeOf(wrong.setValue(PROJECT_A, "B", new Secret("b"))), "DS_PASSPHRASE_WRONG");
    // the failed write did not replace the file
    t.is((await store.getValue(PROJECT_A, "A"))?.reveal(), "value-a");
  } finally {
    await cleanup();
  }
});

test("file: a flipped byte anywhere (header, ciphertext or tag) fails authentication", async (t) => {
  const { path, store, cleanup } = tempStore();
  try {
    await store.setValue(PROJECT_A, "A", new Secret("value-a"));
    const good = readFileSync(path);
    // 5..8: version, kdf, N, r would change the derivation; 20: salt, 30: nonce, middle: ciphertext, last: tag
    for (const at of [20, 30, Math.floor(good.length / 2), good.length - 1]) {
      const bad = Buffer.from(good);
      bad[at] = (bad[at] ?? 0) ^ 0x01;
      writeFileSync(path, bad, { mode: 0o600 });
      t.is(await codeOf(new FileStore(path, PASS).getValue(PROJECT_A, "A")), "DS_PASSPHRASE_WRONG", `byte ${at}`);
    }
    writeFileSync(path, Buffer.from("not a devsecrets file at all, but long enough to pass the size check"), {
      mode: 0o600,
    });
    t.is(await codeOf(new FileStore(path, PASS).getValue(PROJECT_A, "A")), "DS_INTERNAL");
  } finally {
    await cleanup();
  }
});

test("file: versioned header, one salt per file, a fresh nonce per write", async (t) => {
  const { path, store, cleanup } = tempStore();
  try {
    await store.setValue(PROJECT_A, "A", new Secret("same"));
    const first = readFileSync(path);
    await store.setValue(PROJECT_A, "A", new Secret("same"));
    const second = readFileSync(path);
    t.is(first.subarray(0, 4).toString("latin1"), "DSSF");
    t.is(first[4], 1); // format version
    t.is(first[5], 1); // scrypt
    t.true((first[6] ?? 0) >= 15); // N >= 2^15
    t.is(first[7], 8);
    t.is(first[8], 1);
    t.deepEqual(first.subarray(9, 25), second.subarray(9, 25), "salt is per file");
    t.notDeepEqual(first.subarray(25, 37), second.subarray(25, 37), "nonce is per write");
    t.notDeepEqual(first.subarray(37), second.subarray(37));
  } finally {
    await cleanup();
  }
});

test("file: the bytes on disk hold no value in plain, base64 or hex", async (t) => {
  const { dir, path, store, cleanup } = tempStore();
  try {
    const value = "sk_live_THIS-IS-THE-VALUE-0123456789";
    await store.setValue(PROJECT_A, "STRIPE", new Secret(value));
    const record = sampleRecord("file");
    await store.saveSession(record);
    const needles = [value, record.credential.reveal(), "hvs.sample-token", PASS.reveal(), "STRIPE", "sess-1"];
    for (const name of readdirSync(join(path, ".."))) {
      const bytes = readFileSync(join(path, "..", name));
      const views = [bytes.toString("latin1"), bytes.toString("utf8"), bytes.toString("hex"), bytes.toString("base64")];
      for (const needle of needles) {
        const forms = [
          needle,
          Buffer.from(needle).toString("base64"),
          Buffer.from(needle).toString("base64url"),
          Buffer.from(needle).toString("hex"),
        ];
        for (const form of forms) {
          for (const view of views)
            t.false(view.toLowerCase().includes(form.toLowerCase().slice(0, 24)), `${name} holds a form of a secret`);
        }
      }
    }
    t.deepEqual(readdirSync(join(path, "..")), ["session.enc"], "no temp file is left behind");
    t.truthy(dir);
  } finally {
    await cleanup();
  }
});

test("file: a file open to the group (0640) is refused", async (t) => {
  const { path, store, cleanup } = tempStore();
  try {
    await store.setValue(PROJECT_A, "A", new Secret("v"));
    chmodSync(path, 0o640);
    const error = (await t.throwsAsync(store.getValue(PROJECT_A, "A"))) as DevsecretsError;
    t.is(error.code, "DS_STORE_UNSAFE");
    t.regex(error.message, /session file .* has mode 0640/);
    t.regex(error.hint, /chmod 600/);
    t.is(await codeOf(store.setValue(PROJECT_A, "B", new Secret("v"))), "DS_STORE_UNSAFE");
    t.is(statSync(path).mode & 0o777, 0o640, "never silently repaired");
  } finally {
    await cleanup();
  }
});

test("file: a folder open to others (0755) is refused", async (t) => {
  const { path, store, cleanup } = tempStore();
  try {
    await store.setValue(PROJECT_A, "A", new Secret("v"));
    chmodSync(join(path, ".."), 0o755);
    const error = (await t.throwsAsync(store.getValue(PROJECT_A, "A"))) as DevsecretsError;
    t.is(error.code, "DS_STORE_UNSAFE");
    t.regex(error.message, /folder of the session file .* has mode 0755/);
    t.regex(error.hint, /chmod 700/);
    t.is(await codeOf(store.saveSession(sampleRecord("file"))), "DS_STORE_UNSAFE");
  } finally {
    await cleanup();
  }
});

test("file: a symlinked file or folder is refused", async (t) => {
  const { dir, path, store, cleanup } = tempStore();
  try {
    await store.setValue(PROJECT_A, "A", new Secret("v"));
    // the file is a link to a real, private store file
    const linkedFile = join(dir, "linked.enc");
    symlinkSync(path, linkedFile);
    t.is(await codeOf(new FileStore(linkedFile, PASS).getValue(PROJECT_A, "A")), "DS_STORE_UNSAFE");
    // the folder is a link to the real, private folder
    const linkedDir = join(dir, "linked-dir");
    symlinkSync(join(path, ".."), linkedDir);
    t.is(await codeOf(new FileStore(join(linkedDir, "session.enc"), PASS).getValue(PROJECT_A, "A")), "DS_STORE_UNSAFE");
    t.is(
      await codeOf(new FileStore(join(linkedDir, "session.enc"), PASS).setValue(PROJECT_A, "A", new Secret("w"))),
      "DS_STORE_UNSAFE",
    );
    t.is((await store.getValue(PROJECT_A, "A"))?.reveal(), "v");
  } finally {
    await cleanup();
  }
});

const FIXTURE = fileURLToPath(new URL("../../fixtures/session-stores/file-store-write.js", import.meta.url));

function writeUnderFileSizeLimit(path: string, blocks: number, size: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "bash",
      ["-c", `ulimit -f ${blocks} && exec "$0" "$@"`, process.execPath, FIXTURE, path, "BIG", String(size)],
      { env: { ...process.env, FIXTURE_PASSPHRASE: PASS.reveal() }, timeout: 30_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`fixture failed: ${stderr}`)) : resolve(stdout.trim())),
    );
  });
}

test("file: a write that fails half-way (EFBIG) leaves the previous file intact and no temp file", async (t) => {
  const { path, store, cleanup } = tempStore();
  try {
    await store.setValue(PROJECT_A, "A", new Secret("before"));
    const before = readFileSync(path);
    // 64 KiB file size limit, 1 MiB value: the temp file write fails part-way with EFBIG
    t.is(await writeUnderFileSizeLimit(path, 64, 1 << 20), "DS_INTERNAL EFBIG");
    t.deepEqual(readFileSync(path), before);
    t.deepEqual(readdirSync(join(path, "..")), ["session.enc"]);
    t.is((await new FileStore(path, PASS).getValue(PROJECT_A, "A"))?.reveal(), "before");
  } finally {
    await cleanup();
  }
});

test("file: a store whose parent path is a file fails cleanly", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ds-fs-"));
  try {
    writeFileSync(join(dir, "not-a-folder"), "x");
    const store = new FileStore(join(dir, "not-a-folder", "devsecrets", "session.enc"), PASS);
    const error = await t.throwsAsync(store.setValue(PROJECT_A, "A", new Secret("v")));
    t.truthy(error);
    t.is(await store.getValue(PROJECT_A, "A").catch(() => "threw"), "threw");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("file: concurrent writes are serialised (no lost update)", async (t) => {
  const { store, cleanup } = tempStore();
  try {
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.setValue(PROJECT_A, `K${i}`, new Secret(`v${i}`))));
    for (let i = 0; i < 10; i++) t.is((await store.getValue(PROJECT_A, `K${i}`))?.reveal(), `v${i}`);
  } finally {
    await cleanup();
  }
});

test("file: when nothing is left the file is removed", async (t) => {
  const { path, store, cleanup } = tempStore();
  try {
    await store.setValue(PROJECT_A, "A", new Secret("v"));
    await store.saveSession(sampleRecord("file"));
    await store.removeSession();
    t.true(statSync(path).isFile());
    await store.removeValue(PROJECT_A, "A");
    t.throws(() => statSync(path));
    mkdirSync(join(path, "..", "sub")); // folder stays usable
    t.is(await store.loadSession(), null);
  } finally {
    await cleanup();
  }
});

test("file: an empty passphrase is refused", (t) => {
  const error = t.throws(() => new FileStore("/tmp/never", new Secret(""))) as DevsecretsError;
  t.is(error.code, "DS_USAGE");
});
