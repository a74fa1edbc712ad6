// Attacks on the dashboard's loopback port (issue 20): DNS rebinding through a foreign Host, no token or a reused
// one, an action without the CSRF header or posted as a form, another local user, and what every answer may hold.
// Rule: the page's listener serves only the user's own connections, after a one-time token bought a cookie, and its
// actions need that cookie's CSRF header; no answer holds a served value.

import test from "ava";
import { readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { DaemonClient } from "../../daemon/client/client.js";
import { UiAuth } from "../../daemon/ui/ui-auth.js";
import { CONTENT_SECURITY_POLICY } from "../../daemon/ui/ui-headers.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { nodeForAnyUser } from "../helpers/node-for-any-user.js";
import { NOBODY } from "../helpers/other-user.js";
import { cli, makeWorld, runProcess, waitFor, type World } from "../helpers/sandbox-env.js";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function request(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        path,
        method: options.method ?? "GET",
        headers: { Host: `127.0.0.1:${port}`, Connection: "close", ...options.headers },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

async function openUi(world: World): Promise<{ url: URL; port: number }> {
  const opened = await cli(world, ["ui", "--no-open", "--json"]);
  if (opened.code !== 0) throw new Error(opened.stderr);
  const answer = JSON.parse(opened.stdout) as { url: string; port: number };
  return { url: new URL(answer.url), port: answer.port };
}

/** exchanges the printed address's token for the cookie, as the browser does on opening it */
async function login(world: World): Promise<{ port: number; cookie: string; csrf: string; token: string }> {
  const { url, port } = await openUi(world);
  const answer = await request(port, `${url.pathname}${url.search}`);
  if (answer.status !== 303) throw new Error(`token exchange answered ${answer.status}: ${answer.body}`);
  const cookie = String(answer.headers["set-cookie"]).split(";")[0] as string;
  const snapshot = JSON.parse((await request(port, "/api/snapshot", { headers: { Cookie: cookie } })).body) as {
    csrf: string;
  };
  return { port, cookie, csrf: snapshot.csrf, token: url.searchParams.get("token") as string };
}

let world: World;
test.before(() => {
  world = makeWorld();
});
test.after.always(() => disposeWorld(world));

test.serial(
  "the token buys an HttpOnly, SameSite=Strict cookie once; a reused or missing token is refused",
  async (t) => {
    const { url, port } = await openUi(world);
    t.regex(url.href, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    t.is((await request(port, "/")).status, 401, "no token, no cookie");
    const first = await request(port, `/${url.search}`);
    t.is(first.status, 303);
    t.is(first.headers.location, "/", "the address bar loses the token");
    t.regex(
      String(first.headers["set-cookie"]),
      new RegExp(`^devsecrets_ui_${port}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`),
    );
    const again = await request(port, `/${url.search}`);
    t.is(again.status, 401, "the token died at its first use");
    t.regex(again.body, /DS_UI_AUTH/);
    t.is((await request(port, "/?token=wrong")).status, 401);
    const cookie = String(first.headers["set-cookie"]).split(";")[0] as string;
    const page = await request(port, "/", { headers: { Cookie: cookie } });
    t.is(page.status, 200);
    t.regex(page.body, /<script type="module" src="\/assets\/app\.js"><\/script>/);
    t.is((await request(port, "/api/snapshot", { headers: { Cookie: `${cookie}x` } })).status, 401, "a wrong cookie");
  },
);

test("a token expires after 60 seconds", (t) => {
  const auth = new UiAuth("c");
  const { token, expiresAt } = auth.issueToken(1_000);
  t.is(expiresAt, 61_000);
  t.is(auth.exchange(token, 61_001), null);
  const fresh = auth.issueToken(1_000);
  t.not(auth.exchange(fresh.token, 60_999), null);
});

test.serial("a foreign Host (DNS rebinding) is refused before the token is looked at", async (t) => {
  const { url, port } = await openUi(world);
  for (const host of [`attacker.example:${port}`, `localhost.attacker.example:${port}`, `127.0.0.1:${port + 1}`]) {
    const answer = await request(port, `/${url.search}`, { headers: { Host: host } });
    t.is(answer.status, 421, host);
    t.is(answer.headers["set-cookie"], undefined);
  }
  // the refused requests did not spend the token
  t.is((await request(port, `/${url.search}`, { headers: { Host: `localhost:${port}` } })).status, 303);
});

test.serial("an action needs the CSRF header and a JSON body; with them it runs", async (t) => {
  t.is((await cli(world, ["login", "--store", "memory", "--ttl", "10m"])).code, 0);
  const { port, cookie, csrf } = await login(world);
  const post = (headers: Record<string, string>, body = "{}") =>
    request(port, "/api/actions/extend", { method: "POST", headers: { Cookie: cookie, ...headers }, body });
  const none = await post({ "Content-Type": "application/json" });
  t.is(none.status, 403);
  t.is((JSON.parse(none.body) as { error: { code: string } }).error.code, "DS_UI_CSRF");
  t.is((await post({ "Content-Type": "application/json", "X-Devsecrets-CSRF": `${csrf}x` })).status, 403);
  const form = await post({ "Content-Type": "application/x-www-form-urlencoded", "X-Devsecrets-CSRF": csrf }, "a=1");
  t.is(form.status, 415, "no form can post an action");
  const before = await request(port, "/api/snapshot", { headers: { Cookie: cookie } });
  const ok = await post({ "Content-Type": "application/json", "X-Devsecrets-CSRF": csrf });
  t.is(ok.status, 200, ok.body);
  const after = JSON.parse((await request(port, "/api/snapshot", { headers: { Cookie: cookie } })).body) as {
    session: { expiresAt: string };
  };
  t.true(Date.parse(after.session.expiresAt) - Date.parse(JSON.parse(before.body).session.expiresAt) > 3600_000);
  const noCookie = await request(port, "/api/actions/extend", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Devsecrets-CSRF": csrf },
    body: "{}",
  });
  t.is(noCookie.status, 401, "the header alone is not enough");
});

test.serial("every answer carries the CSP (no inline script, no other origin) and no-store", async (t) => {
  const { port, cookie } = await login(world);
  for (const path of ["/", "/assets/app.js", "/assets/app.css", "/api/snapshot", "/nowhere"]) {
    const answer = await request(port, path, { headers: { Cookie: cookie } });
    t.is(answer.headers["content-security-policy"], CONTENT_SECURITY_POLICY, path);
    t.is(answer.headers["cache-control"], "no-store", path);
    t.is(answer.headers["x-content-type-options"], "nosniff", path);
  }
  t.notRegex(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|https?:|\*/);
  t.regex(CONTENT_SECURITY_POLICY, /script-src 'self'/);
  const page = await request(port, "/", { headers: { Cookie: cookie } });
  t.notRegex(
    page.body,
    /<script>|<script [^>]*>[^<]|style=|https?:\/\/(?!127)/,
    "no inline script or style, no outside URL",
  );
});

test.serial("another local user's connection is cut before a byte is read", async (t) => {
  const { url, port } = await openUi(world);
  const probe = `
const socket = require("net").connect({ host: "127.0.0.1", port: ${port} });
let text = "";
socket.setEncoding("utf8").on("data", (c) => (text += c));
socket.on("error", (e) => console.log("error " + e.code));
socket.on("connect", () => socket.write("GET /${url.search} HTTP/1.1\\r\\nHost: 127.0.0.1:${port}\\r\\nConnection: close\\r\\n\\r\\n"));
socket.on("close", () => console.log("closed " + JSON.stringify(text)));`;
  const other = await runProcess(nodeForAnyUser(), ["-e", probe], {
    uid: NOBODY,
    gid: NOBODY,
    env: { PATH: "/usr/bin:/bin" },
    timeoutMs: 20_000,
  });
  t.regex(other.stdout, /closed ""|error ECONNRESET/, "another user got an answer");
  // nor did it spend the token
  t.is((await request(port, `/${url.search}`)).status, 303);
});

test.serial(
  "the wipe sends the page's stream a last wipe event, then the port closes; ui --stop closes it too",
  async (t) => {
    const { port, cookie } = await login(world);
    let streamed = "";
    const ended = new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        { host: "127.0.0.1", port, path: "/api/events", headers: { Host: `127.0.0.1:${port}`, Cookie: cookie } },
        (res) => {
          res.setEncoding("utf8").on("data", (c: string) => (streamed += c));
          res.on("end", () => resolve());
          res.on("error", () => resolve());
        },
      );
      req.on("error", reject);
      req.end();
    });
    await waitFor(() => streamed.includes("devsecrets dashboard"), 10_000, "the stream to open");
    t.is((await cli(world, ["logout"])).code, 0);
    await ended;
    t.regex(streamed, /event: wipe\ndata: \{"reason":"logout","time":"[^"]+"\}/);
    await t.throwsAsync(() => request(port, "/"), { code: "ECONNREFUSED" });

    const again = await openUi(world);
    t.is((await cli(world, ["ui", "--stop"])).code, 0);
    await t.throwsAsync(() => request(again.port, "/"), { code: "ECONNREFUSED" });
  },
);

test("trust from the page: the listing `devsecrets trust` shows, its digest posted back; stale refused; revoke", async (t) => {
  // a world whose daemon trusts nothing by itself (the other tests' worlds run with DEVSECRETS_TRUST_ALL=1)
  const world = makeWorld({ trustAll: false });
  t.teardown(() => disposeWorld(world));
  const project = world.project({ "devsecrets.env": "API_TOKEN=vault://secret/app#token\nPLAIN=x\n" }, "to-trust");
  const resolved = await cli(world, ["env", "--format", "json"], { cwd: project });
  t.is(resolved.code, 0, resolved.stderr);
  const { port, cookie, csrf } = await login(world);
  const headers = { Cookie: cookie, "Content-Type": "application/json", "X-Devsecrets-CSRF": csrf };
  const shown = await new DaemonClient({ env: world.env }).trustShow({ cwd: project });
  const listing = JSON.parse(
    (await request(port, `/api/trust?root=${encodeURIComponent(project)}`, { headers: { Cookie: cookie } })).body,
  ) as { root: string; digest: string; trusted: boolean; items: { text: string }[] };
  t.is(listing.digest, shown.digest, "the same listing as the CLI's");
  t.false(listing.trusted);
  t.deepEqual(
    listing.items.map((item) => item.text),
    ["API_TOKEN vault://secret/app#token"],
  );
  const stale = await request(port, "/api/actions/trust", {
    method: "POST",
    headers,
    body: JSON.stringify({ root: project, digest: "0".repeat(64) }),
  });
  t.is((JSON.parse(stale.body) as { error: { code: string } }).error.code, "DS_TRUST_STALE");
  const trusted = await request(port, "/api/actions/trust", {
    method: "POST",
    headers,
    body: JSON.stringify({ root: project, digest: listing.digest }),
  });
  t.is(trusted.status, 200, trusted.body);
  t.true((await new DaemonClient({ env: world.env }).trustShow({ cwd: project })).trusted);
  const snapshot = JSON.parse((await request(port, "/api/snapshot", { headers: { Cookie: cookie } })).body) as {
    projects: { root: string; trust: { trusted: boolean } | null }[];
  };
  t.deepEqual(snapshot.projects.find((p) => p.root === project)?.trust, { trusted: true, reason: "trusted" });
  const revoked = await request(port, "/api/actions/untrust", {
    method: "POST",
    headers,
    body: JSON.stringify({ root: project }),
  });
  t.is(revoked.status, 200, revoked.body);
  t.false((await new DaemonClient({ env: world.env }).trustShow({ cwd: project })).trusted);
});

test("the idle lock closes the page: an open page and its stream are not activity", async (t) => {
  const world = makeWorld();
  t.teardown(() => disposeWorld(world));
  const loggedIn = await cli(world, ["login", "--store", "memory", "--idle", "4s"]);
  t.is(loggedIn.code, 0, loggedIn.stderr);
  const { port, cookie } = await login(world);
  let streamed = "";
  const started = Date.now();
  const ended = new Promise<void>((resolve) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path: "/api/events", headers: { Host: `127.0.0.1:${port}`, Cookie: cookie } },
      (res) => {
        res.setEncoding("utf8").on("data", (c: string) => (streamed += c));
        res.on("end", () => resolve());
        res.on("error", () => resolve());
      },
    );
    req.on("error", () => resolve());
    req.end();
  });
  await ended;
  t.regex(streamed, /event: wipe\ndata: \{"reason":"idle"/);
  t.true(Date.now() - started < 20_000, `the idle lock came after ${Date.now() - started} ms`);
  // the stream ends as the wipe's ui part runs; the listener closes right after it
  await waitFor(
    () =>
      request(port, "/").then(
        () => false,
        (error: NodeJS.ErrnoException) => error.code === "ECONNREFUSED",
      ),
    5_000,
    "the dashboard's port to close",
  );
  t.pass();
});

test("the page shows audit verify's verdict: a rewritten trail is reported broken, naming the line", async (t) => {
  const world = makeWorld();
  t.teardown(() => disposeWorld(world));
  const project = world.project({ "devsecrets.env": "KEY=sandbox://stripe/secret-key\n" });
  t.is((await cli(world, ["env"], { cwd: project })).code, 0);
  const file = join(world.env.XDG_STATE_HOME as string, "devsecrets", "audit.jsonl");
  const lines = readFileSync(file, "utf8").split("\n");
  lines[0] = (lines[0] as string).replace('"variable":"KEY"', '"variable":"KEZ"');
  writeFileSync(file, lines.join("\n"));
  const { port, cookie } = await login(world);
  const snapshot = JSON.parse((await request(port, "/api/snapshot", { headers: { Cookie: cookie } })).body) as {
    audit: { verify: { ok: boolean; problem: string | null; at: string } };
  };
  t.false(snapshot.audit.verify.ok);
  t.regex(snapshot.audit.verify.problem ?? "", /^line 1: /);
  t.regex(snapshot.audit.verify.at, /^\d{4}-/);
});

test("a running sandbox service is listed in what the wipe will undo, by name and address, with no password", async (t) => {
  const world = makeWorld();
  t.teardown(() => disposeWorld(world));
  const project = world.project({ "devsecrets.env": "REDIS_URL=sandbox://redis/server#url\n" }, "with-redis");
  const resolved = await cli(world, ["env", "--format", "json"], { cwd: project });
  t.is(resolved.code, 0, resolved.stderr);
  const url = (JSON.parse(resolved.stdout) as { REDIS_URL: string }).REDIS_URL;
  const password = new URL(url).password;
  t.true(password.length > 8, "the served URL carries the service's password");
  const { port, cookie } = await login(world);
  const body = (await request(port, "/api/snapshot", { headers: { Cookie: cookie } })).body;
  const snapshot = JSON.parse(body) as { handedOut: { kind: string; name: string }[] };
  const services = snapshot.handedOut.filter((item) => item.kind === "service");
  t.is(services.length, 1, body);
  t.regex(services[0]?.name ?? "", /^redis tcp:\/\/127\.0\.0\.1:\d+$/);
  t.false(body.includes(password), "the password reached the page");
  t.false(
    snapshot.handedOut.some((item) => item.kind === "sandbox-service"),
    "listed once",
  );
});
