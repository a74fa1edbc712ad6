// doctor in front of an unsafe socket folder (DESIGN "Client checks"): the daemon line fails with the refusal and its
// hint, instead of "not running; it starts on first use", which no command would do there.
// Rule: the CLI as a user runs it; nothing listens and nothing is started.

import test from "ava";
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { cli, makeWorld } from "../helpers/sandbox-env.js";

test("doctor: an unsafe socket folder fails the daemon line with DS_SOCKET_UNSAFE's message and hint", async (t) => {
  const world = makeWorld();
  t.teardown(() => world.cleanup());
  const folder = join(world.root, "open");
  mkdirSync(folder);
  chmodSync(folder, 0o755);
  const doctor = await cli(world, ["doctor"], { env: { DEVSECRETS_SOCKET: join(folder, "daemon.sock") } });
  t.is(doctor.code, 1, doctor.stdout);
  t.regex(
    doctor.stdout,
    new RegExp(`FAIL\\s+daemon\\s+the socket folder ${folder} is not safe \\(owner \\d+, mode 0755\\)`),
  );
  t.regex(doctor.stdout, /export DEVSECRETS_SOCKET=/);
  t.false(doctor.stdout.includes("starts on first use"));
});
