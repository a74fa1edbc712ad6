// Files a setting names (vault.caCert, VAULT_CACERT): a regular file of at most 1 MiB, opened without blocking, read
// off the event loop (DESIGN "Limits"). Rule: real files, FIFOs and devices; the FIFO case would hang a blocking read.

import test from "ava";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readSettingFile, SETTING_FILE_LIMIT } from "../../../common/read-setting-file.js";
import { VaultHttp } from "../../../daemon/providers/vault/vault-http.js";

let dir: string;
test.before(() => {
  dir = mkdtempSync(join(tmpdir(), "ds-setting-file-"));
});
test.after.always(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(path: string): Promise<{ code?: string; message?: string }> {
  try {
    await readSettingFile(path, "vault.caCert");
  } catch (error) {
    return error as { code?: string; message?: string };
  }
  return {};
}

test("a regular file is read whole, up to exactly 1 MiB", async (t) => {
  const pem = join(dir, "ca.pem");
  writeFileSync(pem, "-----BEGIN CERTIFICATE-----\n");
  t.is((await readSettingFile(pem, "vault.caCert")).toString(), "-----BEGIN CERTIFICATE-----\n");
  const full = join(dir, "full");
  writeFileSync(full, Buffer.alloc(SETTING_FILE_LIMIT, 0x41));
  t.is((await readSettingFile(full, "vault.caCert")).length, SETTING_FILE_LIMIT);
});

test("a FIFO, a device, a folder, a missing file and one byte over 1 MiB are DS_SETTING_FILE naming setting and path", async (t) => {
  const fifo = join(dir, "fifo");
  execFileSync("mkfifo", [fifo]);
  const folder = join(dir, "folder");
  mkdirSync(folder);
  const big = join(dir, "big");
  writeFileSync(big, Buffer.alloc(SETTING_FILE_LIMIT + 1));
  const cases: [string, string][] = [
    [fifo, "is a FIFO"],
    ["/dev/zero", "is a device"],
    [folder, "is a folder"],
    [join(dir, "absent"), "cannot be opened (ENOENT)"],
    [big, "is over 1 MiB"],
  ];
  for (const [path, why] of cases) {
    const started = Date.now();
    const error = await refusal(path);
    t.is(error.code, "DS_SETTING_FILE", path);
    t.is(error.message, `vault.caCert names ${path}, which ${why}`);
    t.true(Date.now() - started < 2_000, `${path} answered at once`);
  }
});

test("a Vault session whose caCert is a FIFO fails at once with DS_SETTING_FILE, without retrying", async (t) => {
  const fifo = join(dir, "ca-fifo");
  execFileSync("mkfifo", [fifo]);
  // a closed loopback port: nothing is dialled before the CA is read, and nothing else could be
  const http = new VaultHttp({ address: "https://127.0.0.1:9", caCert: fifo }, null);
  const started = Date.now();
  const error = await t.throwsAsync(http.read("sys/health"));
  t.is((error as { code?: string }).code, "DS_SETTING_FILE");
  t.true(Date.now() - started < 2_000, `${Date.now() - started} ms`);
});
