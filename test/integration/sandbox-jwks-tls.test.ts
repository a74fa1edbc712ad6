import test from "ava";
import { existsSync, lstatSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify } from "jose";
import { cli, runProcess, type World } from "../helpers/sandbox-env.js";
import { withWorld } from "../helpers/daemon-process.js";

async function ok(world: World, args: string[], cwd?: string): Promise<string> {
  const result = await cli(world, args, cwd ? { cwd } : {});
  if (result.code !== 0) throw new Error(`devsecrets ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

test("a jwt/rs256 minted by the CLI verifies against the daemon's JWKS over the socket and the loopback URL, and not after a restart", async (t) => {
  await withWorld(async (world) => {
    const token = (await ok(world, ["sandbox", "mint", "jwt/rs256", "--claims", '{"sub":"alice"}'])).trim();
    const jwks = JSON.parse(await ok(world, ["sandbox", "jwks", "--json"])) as { keys: Record<string, unknown>[] };
    t.is(jwks.keys.length, 1);
    for (const key of jwks.keys)
      for (const member of ["d", "p", "q", "dp", "dq", "qi", "k"])
        t.false(member in key, `no private member ${member}`);
    const local = await jwtVerify(token, createLocalJWKSet(jwks as never));
    t.is(local.payload.sub, "alice");

    const { url } = JSON.parse(await ok(world, ["sandbox", "jwks", "--serve", "--json"])) as { url: string };
    t.regex(url, /^http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json$/);
    t.is((await ok(world, ["sandbox", "jwks", "--serve"])).trim(), url, "one server per daemon");
    const remote = await jwtVerify(token, createRemoteJWKSet(new URL(url)));
    t.is(remote.payload.sub, "alice");
    // a later ES256 key shows up at the same URL: it serves the current session's keys
    await ok(world, ["sandbox", "mint", "jwt/es256"]);
    t.is(((await (await fetch(url)).json()) as { keys: unknown[] }).keys.length, 2);
    t.is((await fetch(url.replace("jwks.json", "other"))).status, 404);

    t.is((await cli(world, ["daemon", "stop"])).code, 0);
    await t.throwsAsync(fetch(url), undefined, "the wipe closed the loopback server");
    await ok(world, ["sandbox", "mint", "jwt/rs256"]);
    const fresh = JSON.parse(await ok(world, ["sandbox", "jwks", "--json"])) as { keys: Record<string, unknown>[] };
    t.is(fresh.keys.length, 1);
    t.not(fresh.keys[0]?.kid, jwks.keys[0]?.kid, "a new daemon has new session keys");
    await t.throwsAsync(jwtVerify(token, createLocalJWKSet(fresh as never)), { code: "ERR_JWKS_NO_MATCHING_KEY" });
    const { url: again } = JSON.parse(await ok(world, ["sandbox", "jwks", "--serve", "--json"])) as { url: string };
    await t.throwsAsync(jwtVerify(token, createRemoteJWKSet(new URL(again))), { code: "ERR_JWKS_NO_MATCHING_KEY" });
  });
});

const CLIENT = `
const https = require("node:https");
https.get({ host: "127.0.0.1", servername: "localhost", port: Number(process.env.PORT), path: "/" }, (res) => {
  let body = "";
  res.on("data", (c) => (body += c)).on("end", () => console.log(body));
}).on("error", (error) => { console.error(error.code); process.exit(3); });
`;

test("run trusts a sandbox://tls/cert server: node through NODE_EXTRA_CA_CERTS, curl through SSL_CERT_FILE; 0600 files gone after the wipe", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({
      "devsecrets.env":
        "TLS_KEY=sandbox://tls/cert?hosts=localhost#key\nTLS_CHAIN=sandbox://tls/cert?hosts=localhost#chain\n",
      "client.cjs": CLIENT,
    });
    const vars = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    const ca = vars.NODE_EXTRA_CA_CERTS as string;
    const bundle = vars.SSL_CERT_FILE as string;
    t.is(dirname(ca), join(dirname(world.socket), `tls-${dirname(ca).split("tls-")[1]}`));
    t.is(dirname(bundle), dirname(ca));
    t.is(lstatSync(dirname(ca)).mode & 0o777, 0o700);
    t.is(lstatSync(ca).mode & 0o777, 0o600);
    t.is(lstatSync(bundle).mode & 0o777, 0o600);

    const server = createServer({ key: vars.TLS_KEY, cert: vars.TLS_CHAIN }, (_req, res) => res.end("hello over tls"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = String((server.address() as AddressInfo).port);
    try {
      // the server lives in this process: the client must run asynchronously
      const untrusted = await runProcess(process.execPath, ["client.cjs"], {
        cwd: project,
        env: { ...world.env, PORT: port },
      });
      t.is(untrusted.code, 3, "without run, node does not trust the dev CA");

      const viaNode = await cli(world, ["run", "--", process.execPath, "client.cjs"], {
        cwd: project,
        env: { PORT: port },
      });
      t.is(viaNode.code, 0, viaNode.stderr);
      t.is(viaNode.stdout.trim(), "hello over tls");

      const script = `curl -sS --resolve localhost:${port}:127.0.0.1 --cacert "$SSL_CERT_FILE" https://localhost:${port}/`;
      const viaCurl = await cli(world, ["run", "--", "sh", "-c", script], { cwd: project });
      t.is(viaCurl.code, 0, viaCurl.stderr);
      t.is(viaCurl.stdout.trim(), "hello over tls");

      // they are normal variables: the caller's own value wins
      const own = join(world.root, "mine.pem");
      writeFileSync(own, "");
      const kept = JSON.parse(
        (await cli(world, ["env", "--format", "json"], { cwd: project, env: { SSL_CERT_FILE: own } })).stdout,
      ) as Record<string, string>;
      t.false("SSL_CERT_FILE" in kept);
      t.is(kept.NODE_EXTRA_CA_CERTS, ca);
    } finally {
      server.close();
    }

    t.is((await cli(world, ["daemon", "stop"])).code, 0);
    t.false(existsSync(ca));
    t.false(existsSync(dirname(ca)));
  });
});

test("a project without sandbox://tls references gets no CA variables", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\n" });
    const vars = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    t.deepEqual(Object.keys(vars), ["TOKEN"]);
  });
});
