// DaemonClient's checks and decoding against a real Unix socket (DESIGN "Client checks"): an unsafe socket folder is
// DS_SOCKET_UNSAFE before any connect, a DS_ code this build does not know is passed through with its message and hint.
// Rule: a real socket served from another thread; the impostor of another uid is test/security/impostor-socket.test.ts.

import test from "ava";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DaemonClient } from "../../../daemon/client/client.js";
import { checkSocketFolder } from "../../../daemon/client/socket-check.js";
import { DevsecretsError } from "../../../common/errors.js";
import { startTestServer, type TestServer } from "../../fixtures/http-over-unix.js";

let dir: string;
let server: TestServer;

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), "ds-daemon-client-"));
  server = await startTestServer(join(dir, "server.sock"));
});

test.after.always(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const ERROR_ROUTE = { method: "GET", path: "/error" } as const;

test("a DS_ code this client does not know is passed through with the daemon's message and hint, exit 1", async (t) => {
  // the fixture answers {code: "DS_TEST"}, a code in no table
  const client = new DaemonClient({ socket: server.socket, autostart: false });
  const error = await t.throwsAsync(client.call(ERROR_ROUTE as never), { instanceOf: DevsecretsError });
  t.is(error?.code as string, "DS_TEST");
  t.is(error?.message, "refused");
  t.is(error?.hint, "a hint");
  t.is(error?.exitCode, 1);
  t.deepEqual(error?.toBody(), { error: { code: "DS_TEST", message: "refused", hint: "a hint" } } as never);
});

test("a socket folder open to others is DS_SOCKET_UNSAFE naming path, owner and mode, before any connect", async (t) => {
  const open = join(dir, "open");
  mkdirSync(open);
  chmodSync(open, 0o755);
  const client = new DaemonClient({ socket: join(open, "daemon.sock"), autostart: true });
  const error = await t.throwsAsync(client.status(), { instanceOf: DevsecretsError });
  t.is(error?.code, "DS_SOCKET_UNSAFE");
  t.is(error?.message, `the socket folder ${open} is not safe (owner ${process.getuid?.()}, mode 0755)`);
  t.regex(error?.hint ?? "", /^use a folder only you can open: export DEVSECRETS_SOCKET=/);
});

test("the folder check: a symlinked folder and another owner are refused; a missing folder is left to the connect", (t) => {
  const real = join(dir, "real");
  mkdirSync(real, { mode: 0o700 });
  const link = join(dir, "link");
  symlinkSync(real, link);
  t.notThrows(() => checkSocketFolder(join(real, "daemon.sock")));
  t.throws(() => checkSocketFolder(join(link, "daemon.sock")), {
    message: `the socket folder ${link} is not safe (owner ${process.getuid?.()}, mode 0777)`,
  });
  t.throws(() => checkSocketFolder(join(real, "daemon.sock"), 4242), {
    message: `the socket folder ${real} is not safe (owner ${process.getuid?.()}, mode 0700)`,
  });
  t.notThrows(() => checkSocketFolder(join(dir, "absent", "daemon.sock")));
});
