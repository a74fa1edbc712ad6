// The dashboard's trust listing (issue 20 "never a value", with issue 16's trust): a trusted project's dangerous
// names may hold literal values the daemon serves (VAULT_TOKEN=hvs.…, NPM_CONFIG__AUTH=…), and GET /api/trust answered
// them in the item's text, so the page received served values. Rule: on the page a dangerous name's literal is told
// by its length only (`devsecrets trust` in a terminal shows it); references and settings are shown as before.

import test from "ava";
import { request as httpRequest } from "node:http";
import { disposeWorld } from "../helpers/daemon-process.js";
import { cli, makeWorld, type World } from "../helpers/sandbox-env.js";

function get(port: number, path: string, cookie?: string): Promise<{ status: number; cookie: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        path,
        headers: { Host: `127.0.0.1:${port}`, Connection: "close", ...(cookie ? { Cookie: cookie } : {}) },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8").on("data", (c: string) => (body += c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, cookie: String(res.headers["set-cookie"]).split(";")[0] ?? "", body }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

let world: World;
test.before(() => {
  world = makeWorld({ trustAll: false });
});
test.after.always(() => disposeWorld(world));

test("the page's trust listing holds no literal value of a dangerous name, served or not", async (t) => {
  const VALUES = ["hvs.literal-token-value-1", "bGl0ZXJhbC1ucG0tYXV0aA==", "--max-old-space-size=4096"] as const;
  const project = world.project({
    "devsecrets.env": [
      `VAULT_TOKEN=${VALUES[0]}`,
      `NPM_CONFIG__AUTH=${VALUES[1]}`,
      `NODE_OPTIONS=${VALUES[2]}`,
      "K=vault://secret/app#password",
      "",
    ].join("\n"),
  });
  t.is((await cli(world, ["trust", "--yes"], { cwd: project })).code, 0);
  const run = await cli(world, ["run", "--", "sh", "-c", 'printf "%s" "$VAULT_TOKEN"'], { cwd: project });
  t.is(run.stdout, VALUES[0], `control: the trusted project's literal is served: ${run.stderr}`);
  const opened = await cli(world, ["ui", "--no-open", "--json"]);
  t.is(opened.code, 0, opened.stderr);
  const { url, port } = JSON.parse(opened.stdout) as { url: string; port: number };
  const address = new URL(url);
  const exchange = await get(port, `/${address.search}`);
  t.is(exchange.status, 303);
  const listing = await get(port, `/api/trust?root=${encodeURIComponent(project)}`, exchange.cookie);
  t.is(listing.status, 200, listing.body);
  const items = (JSON.parse(listing.body) as { items: Array<{ kind: string; text: string }> }).items;
  t.deepEqual(items.map((i) => i.text.split(" ")[0]).sort(), ["K", "NODE_OPTIONS", "NPM_CONFIG__AUTH", "VAULT_TOKEN"]);
  for (const value of VALUES) t.false(listing.body.includes(value), `the page got ${value}`);
  t.regex(listing.body, /vault:\/\/secret\/app#password/, "references are still shown");
  t.regex(listing.body, /VAULT_TOKEN \(a literal of 25 characters/);
  const snapshot = await get(port, "/api/snapshot", exchange.cookie);
  for (const value of VALUES) t.false(snapshot.body.includes(value), `the snapshot held ${value}`);
  await cli(world, ["ui", "--stop"]);
});
