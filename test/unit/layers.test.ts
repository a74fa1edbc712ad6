import test from "ava";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { REPO_ROOT } from "../helpers/sandbox-env.js";

// The house rules on dependencies (STYLE.md rule 1), checked on the sources.

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...tsFiles(path));
    else if (entry.endsWith(".ts")) out.push(path);
  }
  return out;
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g),
  ].map((m) => (m[1] ?? m[2]) as string);
}

const daemonFiles = tsFiles(join(REPO_ROOT, "daemon")).map((f) => relative(REPO_ROOT, f));
const cliFiles = tsFiles(join(REPO_ROOT, "cli")).map((f) => relative(REPO_ROOT, f));

test("only daemon/http imports express", (t) => {
  const offenders = [...daemonFiles, ...cliFiles].filter(
    (f) => !f.startsWith("daemon/http/") && imports(join(REPO_ROOT, f)).some((i) => i === "express"),
  );
  t.deepEqual(offenders, []);
});

test("the daemon never imports commander or anything from cli/", (t) => {
  const offenders = daemonFiles.filter((f) =>
    imports(join(REPO_ROOT, f)).some((i) => i === "commander" || i.includes("/cli/") || i.startsWith("../cli")),
  );
  t.deepEqual(offenders, []);
});

test("the core never calls process.exit: only process entry points end the process", (t) => {
  // entry points of their own processes: the daemon, the CLI, the keychain helper child
  const allowed = new Set(["daemon/main.ts", "cli/main.ts", "daemon/session/stores/keychain-helper.ts"]);
  const offenders = [...daemonFiles, ...cliFiles].filter(
    (f) => !allowed.has(f) && /process\.exit\(/.test(readFileSync(join(REPO_ROOT, f), "utf8")),
  );
  t.deepEqual(offenders, []);
});

test("the client and protocol stay light: no express, no daemon core", (t) => {
  const light = daemonFiles.filter((f) => f.startsWith("daemon/client/") || f.startsWith("daemon/protocol/"));
  const heavy =
    /^(express|commander|chokidar|node-vault|pg|jose|@peculiar\/x509|@napi-rs\/keyring)$|\/(resolve|session|sandbox|providers|http|leases|audit)\//;
  const offenders = light.filter((f) => imports(join(REPO_ROOT, f)).some((i) => heavy.test(i)));
  t.deepEqual(offenders, []);
});
