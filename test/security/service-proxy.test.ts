// Attacks on a sandbox service's loopback port (issue 19): another local user connecting to the daemon's proxy in
// front of redis-server, and reading the service's folder or its password from /proc.
// Rule: the proxy serves only the user's own connections (the loopback guard's /proc/net/tcp owner check); the
// service's folder is 0700 and its password is in neither its argv nor a file.

import test from "ava";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { withWorld } from "../helpers/daemon-process.js";
import { nodeForAnyUser } from "../helpers/node-for-any-user.js";
import { NOBODY } from "../helpers/other-user.js";
import { cli, runProcess } from "../helpers/sandbox-env.js";
import { redisTalk, serviceProcessesOf, servicesRoot } from "../helpers/service-processes.js";

test("another local user's connection to a service proxy is cut before a byte reaches redis; the owner's is served", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({
      "devsecrets.env": "REDIS_PORT=sandbox://redis/server#port\nREDIS_PASSWORD=sandbox://redis/server#password\n",
    });
    const resolved = await cli(world, ["env", "--format", "json"], { cwd: project });
    t.is(resolved.code, 0, resolved.stderr);
    const vars = JSON.parse(resolved.stdout) as Record<string, string>;
    const port = Number(vars.REDIS_PORT);
    // the other user even knows the password: only the connection's owner decides
    const probe = `
const socket = require("net").connect({ host: "127.0.0.1", port: ${port} });
let text = "";
socket.setEncoding("utf8").on("data", (c) => (text += c));
socket.on("error", (e) => console.log("error " + e.code));
socket.on("connect", () => socket.write("AUTH default ${vars.REDIS_PASSWORD}\\r\\nPING\\r\\n"));
socket.on("close", () => console.log("closed " + JSON.stringify(text)));
setTimeout(() => { console.log("still open " + JSON.stringify(text)); process.exit(0); }, 5000);`;
    const other = await runProcess(nodeForAnyUser(), ["-e", probe], {
      uid: NOBODY,
      gid: NOBODY,
      env: { PATH: "/usr/bin:/bin" },
      timeoutMs: 20_000,
    });
    t.regex(other.stdout, /^(closed ""|error ECONNRESET)/m, `nobody was cut with nothing read: ${other.stdout}`);
    t.deepEqual(await redisTalk(port, [`AUTH default ${vars.REDIS_PASSWORD}`, "PING"]), ["+OK", "+PONG"]);

    const [pid] = serviceProcessesOf(world);
    t.false(readFileSync(`/proc/${pid}/cmdline`, "latin1").includes(vars.REDIS_PASSWORD as string), "not in argv");
    const root = servicesRoot(world);
    for (const session of readdirSync(root)) {
      const dir = join(root, session, "redis");
      t.is(statSync(dir).mode & 0o777, 0o700);
      for (const file of readdirSync(dir)) {
        const path = join(dir, file);
        if (statSync(path).isFile())
          t.false(readFileSync(path, "latin1").includes(vars.REDIS_PASSWORD as string), file);
      }
    }
  });
});
