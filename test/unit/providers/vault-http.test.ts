// daemon/providers/vault/vault-http.ts on node:http (node-vault is gone, issue 18): what goes on the wire and how
// answers and failures come back, against a recording server on loopback.

import test from "ava";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Secret } from "../../../common/secret.js";
import { VaultHttp, vaultFailure, vaultStatus } from "../../../daemon/providers/vault/vault-http.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

async function server(answer: (seen: Seen) => { status: number; body?: unknown; hang?: boolean }) {
  const seen: Seen[] = [];
  const listener: Server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      const record = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body };
      seen.push(record);
      const reply = answer(record);
      if (reply.hang) return;
      response.writeHead(reply.status, { "content-type": "application/json" });
      response.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  const address = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  return {
    address,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        listener.closeAllConnections();
        listener.close(() => resolve());
      }),
  };
}

test("a read sends the token and namespace headers to /v1/PATH, and never the daemon's own VAULT_TOKEN", async (t) => {
  const vault = await server(() => ({ status: 200, body: { data: { data: { k: "v" } } } }));
  process.env.VAULT_TOKEN = "from-the-daemon-environment";
  try {
    const http = new VaultHttp({ address: vault.address, namespace: "team-a" }, new Secret("s.session-token"));
    t.deepEqual(await http.read("secret/data/app"), { data: { data: { k: "v" } } });
    const anonymous = new VaultHttp({ address: `${vault.address}/` }, null);
    await anonymous.list("secret/metadata/");
    await anonymous.write("auth/approle/login", { role_id: "r" });
    const [read, list, write] = vault.seen;
    t.is(read?.method, "GET");
    t.is(read?.url, "/v1/secret/data/app");
    t.is(read?.headers["x-vault-token"], "s.session-token");
    t.is(read?.headers["x-vault-namespace"], "team-a");
    t.is(list?.method, "GET");
    t.is(list?.url, "/v1/secret/metadata/?list=true");
    t.is(list?.headers["x-vault-token"], undefined);
    t.is(list?.headers["x-vault-namespace"], undefined);
    t.is(write?.method, "POST");
    t.is(write?.headers["content-type"], "application/json");
    t.deepEqual(JSON.parse(write?.body ?? ""), { role_id: "r" });
  } finally {
    delete process.env.VAULT_TOKEN;
    await vault.close();
  }
});

test("answers that are not 2xx keep their status and body; 404 may answer null; 204 is an empty answer", async (t) => {
  const vault = await server((seen) =>
    seen.url.endsWith("/missing")
      ? { status: 404, body: { errors: [] } }
      : seen.url.endsWith("/sealed")
        ? { status: 503, body: { errors: ["Vault is sealed"] } }
        : seen.url.endsWith("/empty")
          ? { status: 204 }
          : { status: 403, body: { errors: ["permission denied"] } },
  );
  try {
    const http = new VaultHttp({ address: vault.address }, new Secret("t"));
    t.is(await http.read("secret/missing", { allowMissing: true }), null);
    t.deepEqual(await http.write("sys/empty"), {});
    const forbidden = await t.throwsAsync(http.read("secret/denied"));
    t.is(vaultStatus(forbidden), 403);
    t.is(vaultFailure(forbidden, http.endpoint, "secret/denied").code, "DS_VAULT_FORBIDDEN");
    const sealed = await t.throwsAsync(http.read("secret/sealed", { budgetMs: 300 }));
    t.regex(vaultFailure(sealed, http.endpoint, "secret/sealed").message, /is sealed/);
    // sealed is not retried: one request
    t.is(vault.seen.filter((s) => s.url.endsWith("/sealed")).length, 1);
  } finally {
    await vault.close();
  }
});

test("no answer within the budget is DS_VAULT_UNREACHABLE naming the address", async (t) => {
  const vault = await server(() => ({ status: 200, hang: true }));
  try {
    const http = new VaultHttp({ address: vault.address }, new Secret("t"));
    const began = Date.now();
    const error = await t.throwsAsync(http.read("secret/slow", { budgetMs: 600 }));
    t.true(Date.now() - began < 5_000);
    t.is(vaultStatus(error), null);
    const failure = vaultFailure(error, http.endpoint, "secret/slow");
    t.is(failure.code, "DS_VAULT_UNREACHABLE");
    t.true(failure.message.includes(vault.address));
  } finally {
    await vault.close();
  }
});
