import test from "ava";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ERROR_CODES, NOTICE_CODES } from "../../daemon/protocol/error-codes.js";
import { REPO_ROOT } from "../helpers/sandbox-env.js";

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "__pycache__" || entry.startsWith(".")) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|py|go|cjs|mjs)$/.test(entry)) out.push(path);
  }
  return out;
}

test("docs/errors.md lists every error code with its exit code, status and default hint", (t) => {
  const doc = readFileSync(join(REPO_ROOT, "docs", "errors.md"), "utf8");
  const documented = new Set(
    [...doc.matchAll(/^\| `(DS_[A-Z_]+)` \| (\d+) \| (\d+) \| (.*) \|$/gm)].map(
      (m) => `${m[1]} ${m[2]} ${m[3]} ${m[4]?.replaceAll("\\|", "|")}`,
    ),
  );
  for (const [code, info] of Object.entries(ERROR_CODES)) {
    t.true(
      documented.has(`${code} ${info.exit} ${info.status} ${info.hint}`),
      `docs/errors.md is out of step for ${code}`,
    );
  }
  t.is(documented.size, Object.keys(ERROR_CODES).length, "docs/errors.md lists a code the table does not have");
});

test("every DS_ code used in the daemon, CLI and shims is in the error table or the notice table", (t) => {
  const known = new Set([...Object.keys(ERROR_CODES), ...Object.keys(NOTICE_CODES)]);
  const unknown = new Set<string>();
  for (const dir of ["daemon", "cli", "shims"]) {
    for (const file of sourceFiles(join(REPO_ROOT, dir))) {
      for (const match of readFileSync(file, "utf8").matchAll(/["'`](DS_[A-Z][A-Z_]*[A-Z])["'`]/g)) {
        if (!known.has(match[1] as string)) unknown.add(`${match[1]} (${file.slice(REPO_ROOT.length + 1)})`);
      }
    }
  }
  t.deepEqual([...unknown], []);
});
