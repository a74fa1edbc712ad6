// A cloned repository's devsecrets.json routing the user's Vault token (issue 16, attack 2): its vault.address used to
// override the user's settings, and `devsecrets login` sent VAULT_TOKEN (or ~/.vault-token) there with no prompt.
// Rule: a capturing server on 127.0.0.1 stands for the project's server; it must see no token of the user's. No test
// dials a non-loopback address: the insecure case is refused by the CLI before any socket exists.

import test from "ava";
import { createServer, type Server } from "node:http";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { disposeWorld } from "../helpers/daemon-process.js";
import { cli, makeWorld, type World } from "../helpers/sandbox-env.js";

interface Captured {
  method: string;
  url: string;
  token: string | undefined;
  body: string;
}

let world: World;
let capture: Server;
let address: string;
const captured: Captured[] = [];
const ENV_TOKEN = "hvs.the-users-own-token-from-the-environment";
const FILE_TOKEN = "hvs.the-users-own-token-from-the-file";

test.before(async () => {
  // no DEVSECRETS_TRUST_ALL: the project is a stranger's until `devsecrets trust`
  world = makeWorld({ trustAll: false });
  writeFileSync(join(world.env.HOME as string, ".vault-token"), `${FILE_TOKEN}\n`);
  capture = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (c: string) => (body += c));
    req.on("end", () => {
      captured.push({
        method: req.method ?? "",
        url: req.url ?? "",
        token: req.headers["x-vault-token"] as string,
        body,
      });
      res.writeHead(403, { "Content-Type": "application/json" }).end('{"errors":["permission denied"]}');
    });
  });
  await new Promise<void>((resolve) => capture.listen(0, "127.0.0.1", resolve));
  address = `http://127.0.0.1:${(capture.address() as { port: number }).port}`;
});

test.after.always(async () => {
  capture?.close();
  if (world) await disposeWorld(world);
});

function hostileProject(): string {
  return world.project({
    "devsecrets.env": "API_KEY=vault://secret/app#key\n",
    "devsecrets.json": JSON.stringify({ vault: { address } }),
  });
}

test.serial("a project's vault.address gets no token: login does not use it and says why", async (t) => {
  captured.length = 0;
  const project = hostileProject();
  const result = await cli(world, ["login", "--store", "memory"], { cwd: project, env: { VAULT_TOKEN: ENV_TOKEN } });
  t.is(result.code, 0, result.stderr);
  t.true(
    result.stderr.includes(
      `devsecrets.json names the Vault address ${address}; it is not used (the project is not trusted`,
    ),
    result.stderr,
  );
  t.deepEqual(captured, []);
  t.false(JSON.stringify(captured).includes("hvs."));
  await cli(world, ["logout"]);
});

test.serial(
  "once trusted, the project's address gets only a token typed for it, never VAULT_TOKEN or ~/.vault-token",
  async (t) => {
    captured.length = 0;
    const project = hostileProject();
    const trusted = await cli(world, ["trust", "--yes"], { cwd: project });
    t.is(trusted.code, 0, trusted.stderr);
    const typed = "hvs.typed-for-the-projects-vault";
    const result = await cli(world, ["login", "--store", "memory"], {
      cwd: project,
      env: { VAULT_TOKEN: ENV_TOKEN },
      input: `${typed}\n`,
    });
    t.is(result.code, 1, "the capturing server refuses the typed token too");
    t.true(captured.length > 0);
    t.true(captured.every((request) => request.token === typed));
    t.false(JSON.stringify(captured).includes(ENV_TOKEN));
    t.false(JSON.stringify(captured).includes(FILE_TOKEN));
    await cli(world, ["trust", "--revoke"], { cwd: project });
  },
);

test.serial("control: the user's own VAULT_ADDR is the address the user's token goes to", async (t) => {
  captured.length = 0;
  const project = hostileProject();
  const result = await cli(world, ["login", "--store", "memory"], {
    cwd: project,
    env: { VAULT_TOKEN: ENV_TOKEN, VAULT_ADDR: address },
  });
  // the capturing server refuses (403): the point is what reached it
  t.is(result.code, 1);
  t.true(captured.length > 0);
  t.true(captured.every((request) => request.token === ENV_TOKEN));
  await cli(world, ["logout"]);
});

test.serial("plain http to a host that is not loopback: DS_VAULT_INSECURE, decided before any socket", async (t) => {
  const project = world.project({ "devsecrets.env": "A=1\n" });
  // no daemon and no autostart: should the CLI ever let such a login through, it meets DS_DAEMON_UNREACHABLE, and no
  // daemon exists that could dial the address
  await cli(world, ["daemon", "stop"]);
  for (const [args, env] of [
    [["--vault", "http://vault.example.com:8200"], {}],
    [[], { VAULT_ADDR: "http://vault.example.com:8200" }],
  ] as const) {
    const result = await cli(world, ["login", "--store", "memory", ...args], {
      cwd: project,
      env: { VAULT_TOKEN: ENV_TOKEN, DEVSECRETS_NO_AUTOSTART: "1", ...env },
    });
    t.is(result.code, 1, result.stderr);
    t.regex(
      result.stderr,
      /^devsecrets: error DS_VAULT_INSECURE: the Vault address http:\/\/vault\.example\.com:8200 \(from (--vault|environment)\) is plain http/,
    );
    t.false(result.stderr.includes(ENV_TOKEN));
  }
});
