// The wipe's order is one list (daemon/wipe/wipe-order.ts), read by the WipeRegistry whatever the registration order.
// Rule: these tests name the order; swapping two parts in the list, or letting registration order decide, fails one.

import test from "ava";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDaemonCore } from "../../../daemon/daemon-core.js";
import type { Logger } from "../../../daemon/log.js";
import { WIPE_ORDER, type WipePartName } from "../../../daemon/wipe/wipe-order.js";
import { WipeRegistry } from "../../../daemon/wipe/wipe-registry.js";

const quietLog: Logger = { file: "/dev/null", info() {}, warn() {}, error() {} };

test("the wipe order is vault, revoked, services, sandbox, jwks-server, ui, session", (t) => {
  t.deepEqual([...WIPE_ORDER], ["vault", "revoked", "services", "sandbox", "jwks-server", "ui", "session"]);
});

test("parts registered in reverse still run in the list's order, and the report lists them so", async (t) => {
  const wipe = new WipeRegistry();
  const ran: string[] = [];
  for (const name of [...WIPE_ORDER].reverse()) {
    wipe.register({
      name,
      async run() {
        ran.push(name);
        return { undone: 1 };
      },
    });
  }
  t.deepEqual(wipe.order, [...WIPE_ORDER]);
  const report = await wipe.wipe("logout");
  t.deepEqual(ran, [...WIPE_ORDER]);
  t.deepEqual(Object.keys(report.parts), [...WIPE_ORDER]);
});

test("parts registered in any order run in the list's order: session last, vault first", async (t) => {
  const wipe = new WipeRegistry();
  const ran: string[] = [];
  const part = (name: WipePartName) => ({
    name,
    async run() {
      ran.push(name);
      return { undone: 0 };
    },
  });
  for (const name of ["session", "sandbox", "vault", "jwks-server", "revoked"] as const) wipe.register(part(name));
  await wipe.wipe("shutdown");
  t.deepEqual(ran, ["vault", "revoked", "sandbox", "jwks-server", "session"]);
});

test("registering a part whose name is not in the list, or a name twice, throws", (t) => {
  const wipe = new WipeRegistry();
  const run = async () => ({ undone: 0 });
  const unknown = t.throws(() => wipe.register({ name: "keychain" as WipePartName, run }));
  t.regex(unknown?.message ?? "", /wipe part "keychain" is not in the wipe order \(vault, revoked, services,/);
  wipe.register({ name: "sandbox", run });
  t.throws(() => wipe.register({ name: "sandbox", run }), { message: /registered twice/ });
  t.deepEqual(wipe.order, ["sandbox"]);
});

test("the daemon's core registers its parts under the list's names; its wipe runs them in that order", async (t) => {
  const root = mkdtempSync(join(tmpdir(), "ds-wipe-order-"));
  try {
    const state = join(root, "state");
    mkdirSync(state, { recursive: true, mode: 0o700 });
    const wipe = new WipeRegistry();
    createDaemonCore({
      socket: join(root, "unused.sock"),
      log: quietLog,
      wipe,
      env: { HOME: root, XDG_STATE_HOME: state, PATH: process.env.PATH ?? "" },
    });
    t.deepEqual(wipe.order, ["vault", "revoked", "services", "sandbox", "jwks-server", "ui", "session"]);
    const report = await wipe.wipe("shutdown");
    t.deepEqual(Object.keys(report.parts), ["vault", "revoked", "services", "sandbox", "jwks-server", "ui", "session"]);
    t.true(report.ok);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
