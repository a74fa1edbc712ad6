// Attack: cut or redo the audit trail so that `audit verify` still says "intact" (issue 16, item 6).
// Rule: a trail that no longer reaches the head the daemon recorded is reported, even after the daemon goes on writing.

import test from "ava";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { entryHash, GENESIS, type AuditEntry } from "../../common/audit-entry.js";
import { verifyAuditText } from "../../common/audit-verify.js";
import { withWorld } from "../helpers/daemon-process.js";
import { cli, type World } from "../helpers/sandbox-env.js";

const auditPath = (world: World) => join(world.env.XDG_STATE_HOME as string, "devsecrets", "audit.jsonl");

/** a trail of a few sessions' entries, the daemon stopped afterwards */
async function writeTrail(world: World): Promise<AuditEntry[]> {
  const project = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\nKEY=sandbox://stripe/secret-key\n" });
  for (let i = 0; i < 3; i++) {
    const result = await cli(world, ["env", "--format", "json"], { cwd: project });
    if (result.code !== 0) throw new Error(result.stderr);
  }
  await cli(world, ["daemon", "stop"]);
  return readEntries(world);
}

function readEntries(world: World): AuditEntry[] {
  return readFileSync(auditPath(world), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditEntry);
}

/** what an attacker with write access does: renumber and rehash every entry from genesis, so the chain is whole */
function rechain(entries: AuditEntry[]): string {
  let prev = GENESIS;
  return entries
    .map((entry, i) => {
      const { hash: _old, ...rest } = entry;
      const body = { ...rest, seq: i + 1, prev };
      const hash = entryHash(body);
      prev = hash;
      return `${JSON.stringify({ ...body, hash })}\n`;
    })
    .join("");
}

async function verify(
  world: World,
): Promise<{ code: number | null; json: { ok: boolean; head?: string; broken?: { reason: string } } }> {
  const result = await cli(world, ["audit", "verify", "--json"]);
  return { code: result.code, json: JSON.parse(result.stdout) };
}

test("an intact trail reaches its head", async (t) => {
  await withWorld(async (world) => {
    await writeTrail(world);
    const { code, json } = await verify(world);
    t.is(code, 0);
    t.true(json.ok);
    t.is(json.head, "reached");
  });
});

test("a trail cut at its end says truncated, though what is left verifies", async (t) => {
  await withWorld(async (world) => {
    const entries = await writeTrail(world);
    const kept = readFileSync(auditPath(world), "utf8")
      .split("\n")
      .filter(Boolean)
      .slice(0, entries.length - 3);
    writeFileSync(auditPath(world), `${kept.join("\n")}\n`);
    t.true(verifyAuditText(readFileSync(auditPath(world), "utf8")).ok, "the cut chain is whole by itself");
    const { code, json } = await verify(world);
    t.is(code, 1);
    t.false(json.ok);
    t.is(json.head, "truncated");
    t.regex(json.broken?.reason ?? "", /truncated/);
    const human = await cli(world, ["audit", "verify"]);
    t.regex(human.stderr, /BROKEN .*truncated/);
    t.regex(human.stderr, /no longer reaches the head/);
  });
});

test("a recomputed chain with an entry taken out says rewritten or truncated, never intact", async (t) => {
  await withWorld(async (world) => {
    const entries = await writeTrail(world);
    // remove one "serve" entry from the middle and rehash everything after it
    const withoutOne = entries.filter((_, i) => i !== 2);
    writeFileSync(auditPath(world), rechain(withoutOne));
    t.true(verifyAuditText(readFileSync(auditPath(world), "utf8")).ok, "the forged chain is whole by itself");
    const shorter = await verify(world);
    t.is(shorter.code, 1);
    t.is(shorter.json.head, "truncated");

    // the same, padded back to the original length with a made-up entry: the head's entry differs
    const padded = [...withoutOne, { ...(entries.at(-1) as AuditEntry), variable: "MADE_UP" }];
    writeFileSync(auditPath(world), rechain(padded));
    const same = await verify(world);
    t.is(same.code, 1);
    t.is(same.json.head, "rewritten");
  });
});

test("after a truncation, a new daemon records the break in the chain: verify keeps saying it", async (t) => {
  await withWorld(async (world) => {
    const entries = await writeTrail(world);
    const lines = readFileSync(auditPath(world), "utf8").split("\n").filter(Boolean);
    writeFileSync(auditPath(world), `${lines.slice(0, entries.length - 2).join("\n")}\n`);
    // the daemon starts again and appends: its new head would otherwise hide the cut
    const project = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\n" });
    t.is((await cli(world, ["env"], { cwd: project })).code, 0);
    await cli(world, ["daemon", "stop"]);
    const after = readEntries(world);
    const mark = after.find((entry) => entry.action === "break");
    t.truthy(mark, "a break entry was appended");
    t.is(mark?.detail?.reason, "truncated");
    const { code, json } = await verify(world);
    t.is(code, 1);
    t.is(json.head, "truncated");
    t.regex(json.broken?.reason ?? "", /found the trail truncated/);
  });
});

test("removing the head (its key still there) is reported, not taken for an old trail", async (t) => {
  await withWorld(async (world) => {
    await writeTrail(world);
    rmSync(`${auditPath(world)}.head`);
    const { code, json } = await verify(world);
    t.is(code, 1);
    t.is(json.head, "forged");
  });
});

test("a head written without the key is reported", async (t) => {
  await withWorld(async (world) => {
    const entries = await writeTrail(world);
    const last = entries.at(-1) as AuditEntry;
    writeFileSync(
      `${auditPath(world)}.head`,
      `${JSON.stringify({ v: 1, seq: last.seq, hash: last.hash, mac: "00".repeat(32) })}\n`,
    );
    const { code, json } = await verify(world);
    t.is(code, 1);
    t.is(json.head, "forged");
  });
});
