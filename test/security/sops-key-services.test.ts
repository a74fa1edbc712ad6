// Attack: a sops file of a repository the user trusted lists, beside an age recipient the user's identity does not
// open, an `hc_vault` master key whose vault_address the repository chose. sops tries it, and sops' Vault client takes
// the token from ~/.vault-token (HOME unset: go-homedir asks getent passwd), so the user's Vault token went to that
// address. The trust listing shows `sops://…`, never the file's key services. Rule: sops, run by the daemon, contacts
// no key service but age: SOPS_HC_VAULT_ALLOWLIST=none and a HOME that holds no credential (DESIGN: sops, age only).
// Real sops 3.13.3, real age keys, a counting server on loopback.

import test from "ava";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { cli, makeWorld } from "../helpers/sandbox-env.js";
import { sopsEncrypt, sopsPath } from "../helpers/sops.js";

/** a TCP server on loopback that counts connections and answers each with a 500 */
async function countingServer(t: { teardown(fn: () => void): void }): Promise<{ port: number; count(): number }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    socket.once("data", () => socket.end("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => server.close());
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { port: address.port, count: () => connections };
}

/** adds an hc_vault master key at `address` to a sops YAML file's metadata (the MAC covers values, not the keys) */
function addVaultKey(file: string, address: string): void {
  const text = readFileSync(file, "utf8");
  const key = [
    "    hc_vault:",
    `        - vault_address: ${address}`,
    "          engine_path: sops",
    "          key_name: firstkey",
    '          created_at: "2026-01-01T00:00:00Z"',
    "          enc: vault:v1:c29tZSBjaXBoZXJ0ZXh0IG9mIHRoZSBkYXRhIGtleQ==",
  ].join("\n");
  if (!text.includes("\nsops:\n")) throw new Error("not a sops YAML file");
  writeFileSync(file, text.replace("\nsops:\n", `\nsops:\n${key}\n`));
}

test("sops, run by the daemon for a trusted project, never contacts a Vault address the sops file names", async (t) => {
  const server = await countingServer(t);
  const world = makeWorld();
  try {
    const mine = await generateX25519Identity();
    const theirs = await generateX25519Identity();
    const project = world.project({ "devsecrets.env": "THEIRS=sops://theirs.yaml#key\nMINE=sops://mine.yaml#key\n" });
    // encrypted to a recipient the user's identity does not open: sops goes on to the next master key
    sopsEncrypt(join(project, "theirs.yaml"), "key: value-of-theirs\n", await identityToRecipient(theirs));
    addVaultKey(join(project, "theirs.yaml"), `http://127.0.0.1:${server.port}`);
    // the control: opened by age, with the same extra key
    sopsEncrypt(join(project, "mine.yaml"), "key: value-of-mine\n", await identityToRecipient(mine));
    addVaultKey(join(project, "mine.yaml"), `http://127.0.0.1:${server.port}`);
    const env = { DEVSECRETS_SOPS: sopsPath() };
    t.is((await cli(world, ["login", "--store", "memory"], { cwd: project, env })).code, 0);
    t.is((await cli(world, ["sops", "key", "import"], { cwd: project, env, input: mine })).code, 0);

    const control = await cli(world, ["get", "MINE"], { cwd: project, env });
    t.is(control.code, 0, control.stderr);
    t.is(control.stdout, "value-of-mine", "the extra key does not stop age from opening the file");

    const attacked = await cli(world, ["get", "THEIRS", "--json"], { cwd: project, env });
    t.is(attacked.code, 1);
    t.is((JSON.parse(attacked.stdout) as { error: { code: string } }).error.code, "DS_SOPS_DECRYPT");
    t.is(server.count(), 0, "sops contacted the Vault address the repository's sops file names");
  } finally {
    await world.cleanup();
  }
});
