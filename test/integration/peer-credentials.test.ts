import test from "ava";
import { chmodSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { cli, runProcess, type World } from "../helpers/sandbox-env.js";
import { daemonPidsOf, withWorld } from "../helpers/daemon-process.js";
import { socketRequest } from "../../daemon/client/socket-request.js";
import { nodeForAnyUser } from "../helpers/node-for-any-user.js";

const daemonLog = (world: World) =>
  readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "daemon.log"), "utf8");

// connects, sends GET /v1/health and prints what happened: whether the connect succeeded, and every byte answered
const CLIENT = `
const c = require("net").connect(process.argv[1]);
const seen = { connected: false, answer: "", error: null };
c.on("connect", () => { seen.connected = true; c.write("GET /v1/health HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n"); });
c.setEncoding("utf8").on("data", (d) => (seen.answer += d));
c.on("error", (e) => (seen.error = e.code));
c.on("close", () => { console.log(JSON.stringify(seen)); process.exit(0); });
setTimeout(() => { seen.error = "timeout"; console.log(JSON.stringify(seen)); process.exit(0); }, 8000);
`;

test("another user is refused by the peer check itself, even on a 0666 socket in traversable folders", async (t) => {
  await withWorld(async (world) => {
    t.is((await cli(world, ["daemon", "start"])).code, 0);
    const before = JSON.parse(
      (await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health" })).body,
    ) as { pid: number };
    // take the first wall down: only the peer check stands between nobody and the daemon
    for (const dir of [world.root, world.env.XDG_RUNTIME_DIR as string, dirname(world.socket)]) chmodSync(dir, 0o711);
    chmodSync(world.socket, 0o666);

    const other = await runProcess("runuser", ["-u", "nobody", "--", nodeForAnyUser(), "-e", CLIENT, world.socket], {
      timeoutMs: 20_000,
    });
    t.is(other.code, 0, other.stderr);
    const seen = JSON.parse(other.stdout) as { connected: boolean; answer: string; error: string | null };
    t.true(seen.connected, "the modes let nobody connect, so the refusal below is the peer check's");
    t.is(seen.answer, "", "not one byte of HTTP is served to another uid");
    t.not(seen.error, "timeout");
    t.regex(daemonLog(world), /"event":"peer-refused","pid":\d+,"uid":65534,"peerPid":\d+/);

    // the daemon keeps serving its own user
    const after = await socketRequest({ socket: world.socket, method: "GET", path: "/v1/health" });
    t.is(after.status, 200);
    t.is((JSON.parse(after.body) as { pid: number }).pid, before.pid);
  });
});

test("the audit names the kernel's peer pid and executable, not the pid a client claims", async (t) => {
  await withWorld(async (world) => {
    t.is((await cli(world, ["daemon", "start"])).code, 0);
    const minted = await socketRequest({
      socket: world.socket,
      method: "POST",
      path: "/v1/sandbox/mint",
      body: { kind: "github/pat" },
      headers: { "x-devsecrets-pid": "1" },
    });
    t.is(minted.status, 200, minted.body);
    const audit = readFileSync(join(world.env.XDG_STATE_HOME as string, "devsecrets", "audit.jsonl"), "utf8");
    const mint = audit
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { action: string; pid?: number; exe?: string })
      .find((e) => e.action === "mint");
    t.truthy(mint);
    t.is(mint?.pid, process.pid);
    t.is(mint?.exe, readlinkSync("/proc/self/exe"));
  });
});

/** inodes of the TCP sockets listening in this network namespace (state 0A in /proc/net/tcp and tcp6) */
function tcpListeningInodes(): Set<string> {
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === "0A" && fields[9] !== undefined) inodes.add(fields[9]);
    }
  }
  return inodes;
}

test("the daemon logs its hardening at start and listens on no TCP port (nothing a browser on loopback can reach)", async (t) => {
  await withWorld(async (world) => {
    t.is((await cli(world, ["daemon", "start"])).code, 0);
    const log = daemonLog(world);
    t.regex(log, /"event":"hardening".*"applied":\["core-limit-0","not-dumpable"\],"skipped":\[\]/);
    t.false(log.includes("peer-check-unavailable"));
    const [pid] = daemonPidsOf(world);
    const listening = tcpListeningInodes();
    const sockets = readdirSync(`/proc/${pid}/fd`)
      .map((fd) => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return "";
        }
      })
      .map((target) => /^socket:\[(\d+)\]$/.exec(target)?.[1])
      .filter((inode): inode is string => inode !== undefined);
    t.true(sockets.length > 0, "the daemon holds its Unix socket");
    t.deepEqual(
      sockets.filter((inode) => listening.has(inode)),
      [],
    );
  });
});
