// Measures what the preload adds to start-up: `node app` vs `node --import register.js app` vs `node -r register.cjs app`,
// interleaved, N runs each, against a warm daemon in a private world with 10 references. Prints medians; asserts nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const runs = Number(process.argv[2] ?? 20);
const root = mkdtempSync(join(tmpdir(), "ds-startup-"));
const env = { PATH: process.env.PATH, LANG: "C.UTF-8", DEVSECRETS_NO_AUTOSTART: "1" };
for (const [name, dir] of Object.entries({ HOME: "home", XDG_RUNTIME_DIR: "run", XDG_STATE_HOME: "state", XDG_CONFIG_HOME: "config", TMPDIR: "tmp" })) {
  mkdirSync(join(root, dir), { mode: 0o700 });
  env[name] = join(root, dir);
}
const app = join(root, "app");
mkdirSync(app);
writeFileSync(join(app, "devsecrets.env"), [
  "STRIPE_SECRET_KEY=sandbox://stripe/secret-key", "GITHUB_TOKEN=sandbox://github/pat",
  "AWS_ACCESS_KEY_ID=sandbox://aws/access-key#id", "AWS_SECRET_ACCESS_KEY=sandbox://aws/access-key#secret",
  "SESSION_SIGNING_KEY=sandbox://jwt/hs256", "ADMIN_PASSWORD=sandbox://random/password?length=24",
  "DB_PASSWORD=vault://database/creds/dev#password", "SLACK_TOKEN=sandbox://slack/bot",
  "NPM_TOKEN=sandbox://npm/token", "OPENAI_API_KEY=sandbox://openai/key", "",
].join("\n"));
writeFileSync(join(app, "app.cjs"), "if (!process.env.GITHUB_TOKEN && process.env.EXPECT) process.exit(9);\n");

const cli = (...args) => spawnSync(process.execPath, [join(repo, "bin", "devsecrets.js"), ...args], { env, cwd: app, encoding: "utf8" });
const variants = {
  "node app": [],
  "node --import register.js app": ["--import", join(repo, "dist", "shims", "node", "register.js")],
  "node -r register.cjs app": ["-r", join(repo, "dist", "shims", "node", "register.cjs")],
};
const times = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
try {
  const started = cli("daemon", "start");
  if (started.status !== 0) throw new Error(started.stderr);
  for (let i = 0; i < runs + 2; i++) {
    for (const [name, flags] of Object.entries(variants)) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [...flags, "app.cjs"], { env: { ...env, EXPECT: flags.length ? "1" : "" }, cwd: app, encoding: "utf8" });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${name} failed (${r.status}): ${r.stderr}`);
      if (i >= 2) times[name].push(ms); // the first two rounds warm the daemon and the file cache
    }
  }
} finally {
  cli("daemon", "stop");
  rmSync(root, { recursive: true, force: true });
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2; };
const base = median(times["node app"]);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(`${name.padEnd(32)} median ${m.toFixed(1)} ms  (+${(m - base).toFixed(1)} ms)  over ${xs.length} runs`);
}
