import test from "ava";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, type World } from "../helpers/sandbox-env.js";
import { withWorld } from "../helpers/daemon-process.js";
import { verifyAuditText } from "../../common/audit-verify.js";

const auditPath = (world: World) => join(world.env.XDG_STATE_HOME as string, "devsecrets", "audit.jsonl");

function forms(value: string): string[] {
  return [value, Buffer.from(value).toString("base64"), Buffer.from(value).toString("hex"), encodeURIComponent(value)];
}

test("after a session of runs the chain verifies, holds no value, and any flipped byte is named", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({
      "devsecrets.env":
        "TOKEN=sandbox://github/pat\nKEY=sandbox://stripe/secret-key\nPW=sandbox://random/password?length=40\nPLAIN=hello\n",
    });
    const values: string[] = [];
    for (let i = 0; i < 3; i++) {
      const result = await cli(world, ["env", "--format", "json"], { cwd: project });
      t.is(result.code, 0, result.stderr);
      values.push(...Object.values(JSON.parse(result.stdout) as Record<string, string>).filter((v) => v !== "hello"));
    }
    const minted = JSON.parse((await cli(world, ["sandbox", "mint", "aws/access-key", "--json"])).stdout) as {
      fields: Record<string, string>;
    };
    values.push(...Object.values(minted.fields));
    await cli(world, ["daemon", "stop"]);

    const verify = await cli(world, ["audit", "verify", "--json"]);
    t.is(verify.code, 0, verify.stdout);
    const result = JSON.parse(verify.stdout) as { ok: boolean; entries: number };
    t.true(result.ok);
    t.true(result.entries >= 10, `entries: ${result.entries}`);

    const text = readFileSync(auditPath(world), "utf8");
    t.regex(text, /"action":"serve".*"reference":"sandbox:\/\/github\/pat"/);
    t.regex(text, /"action":"mint"/);
    t.regex(text, /"action":"wipe"/);
    for (const value of values)
      for (const form of forms(value)) t.false(text.includes(form), "a served value is in the audit file");

    // flip one byte in each entry in turn: verify must name exactly that entry
    const lines = text.split("\n").filter(Boolean);
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      const at = line.indexOf('"time":"') + 10;
      const flipped = line.slice(0, at) + String.fromCharCode(line.charCodeAt(at) ^ 1) + line.slice(at + 1);
      const tampered = `${[...lines.slice(0, i), flipped, ...lines.slice(i + 1)].join("\n")}\n`;
      const outcome = verifyAuditText(tampered);
      t.false(outcome.ok);
      t.is(outcome.broken?.line, i + 1);
    }
    // and through the CLI, on the real file
    const original = readFileSync(auditPath(world));
    const tampered = Buffer.from(original);
    const second = original.indexOf(10) + 20;
    tampered[second] = (tampered[second] as number) ^ 1;
    writeFileSync(auditPath(world), tampered);
    const broken = await cli(world, ["audit", "verify"]);
    t.is(broken.code, 1);
    t.regex(broken.stderr, /BROKEN at line 2 \(entry #2\)/);
  });
});

test("an audit file that cannot be written makes value requests fail closed with DS_AUDIT_UNAVAILABLE", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\n" });
    const env = { DEVSECRETS_AUDIT_FILE: "/dev/full" };
    const result = await cli(world, ["run", "--", "sh", "-c", "echo ran"], { cwd: project, env });
    t.is(result.code, 1);
    t.is(result.stdout, "", "the child never ran");
    t.regex(result.stderr, /DS_AUDIT_UNAVAILABLE/);
    t.regex(result.stderr, /refusing to serve values/);
    const mint = await cli(world, ["sandbox", "mint", "github/pat", "--json"], { env });
    t.is(mint.code, 1);
    t.is((JSON.parse(mint.stdout) as { error: { code: string } }).error.code, "DS_AUDIT_UNAVAILABLE");
  });
});

test("audit tail shows actions and references with the requesting process", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({ "devsecrets.env": "TOKEN=sandbox://github/pat\n" });
    // the requester is run itself: the native launcher when the build made one (it starts the daemon and asks, since
    // 0898bb6), else Node; either way TOKEN is masked, so run spawns the child and is its parent
    const ran = await cli(world, ["run", "--", "sh", "-c", "echo $PPID"], { cwd: project });
    t.is(ran.code, 0, ran.stderr);
    const requester = Number(ran.stdout.trim());
    const tail = await cli(world, ["audit", "tail", "-n", "5"]);
    t.is(tail.code, 0);
    const line = tail.stdout.match(/serve\s+ok\s+\w{8}\s+TOKEN <- sandbox:\/\/github\/pat pid (\d+) \((.*)\)/);
    t.truthy(line, tail.stdout);
    t.is(Number(line?.[1]), requester, "the pid of the process that asked");
    t.regex(line?.[2] ?? "", /\/(?:node|devsecrets-run)$/, "the executable /proc names for it");
  });
});
