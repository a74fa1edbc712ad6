// No import cycles among the client side's modules: the Node front door (daemon/client), the protocol, common/, the
// CLI and the Node preloads. Rule: every import counts, `import type` and `import()` included, as a reader follows them.

import test from "ava";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize } from "node:path";
import { REPO_ROOT } from "../helpers/sandbox-env.js";

const FOLDERS = ["daemon/client", "daemon/protocol", "common", "cli", "shims/node"];

function tsFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) out.push(...tsFiles(root, path));
    else if (entry.endsWith(".ts")) out.push(path);
  }
  return out;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)[^;]*?from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** every cycle among the folders' files, each as "a.ts -> b.ts -> a.ts" */
function importCycles(root: string): string[] {
  const files = FOLDERS.flatMap((folder) => tsFiles(root, folder));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = [...readFileSync(join(root, file), "utf8").matchAll(IMPORT)]
      .map((m) => (m[1] ?? m[2] ?? m[3]) as string)
      .filter((spec) => spec.startsWith("."))
      .map((spec) => normalize(join(dirname(file), spec)).replace(/\.js$/, ".ts"));
    graph.set(file, targets);
  }
  const cycles: string[] = [];
  const open: string[] = [];
  const done = new Set<string>();
  const visit = (file: string): void => {
    open.push(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target) || done.has(target)) continue;
      const at = open.indexOf(target);
      if (at >= 0) cycles.push([...open.slice(at), target].join(" -> "));
      else visit(target);
    }
    open.pop();
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  return cycles;
}

test("the client side has no import cycle", (t) => {
  t.deepEqual(importCycles(REPO_ROOT), []);
});

test("the check finds a cycle through a dynamic import, as fetch-variables.ts and fetch-without-pipe.ts had one", (t) => {
  const root = mkdtempSync(join(tmpdir(), "ds-cycles-"));
  try {
    for (const folder of FOLDERS) mkdirSync(join(root, folder), { recursive: true });
    writeFileSync(join(root, "shims/node/a.ts"), 'export const load = () => import("./b.js");\n');
    writeFileSync(join(root, "shims/node/b.ts"), 'import { load } from "./a.js";\nexport { load };\n');
    t.deepEqual(importCycles(root), ["shims/node/a.ts -> shims/node/b.ts -> shims/node/a.ts"]);
    writeFileSync(join(root, "shims/node/b.ts"), 'import { x } from "../../common/x.js";\nexport { x };\n');
    t.deepEqual(importCycles(root), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
