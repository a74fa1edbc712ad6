// `devsecrets scan` on a generated 10,000-file git tree against secretlint alone (@secretlint/core, same preset), one run.
// Rule: both read every file from disk; the ratio is what scan adds (git listing, live-form rules, served-value windows).

import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { lintSource } from "@secretlint/core";
import { creator } from "@secretlint/secretlint-rule-preset-recommend";
import { ServedValues } from "../daemon/guard/served-values.js";
import { ServedMatcher } from "../cli/scan/served-check.js";
import { scanTargets } from "../cli/scan/scanner.js";
import { listTargets } from "../cli/scan/targets.js";
import { checksummedToken } from "../daemon/sandbox/random.js";
import { note, printTable } from "./report.js";

const BENCH = "scan";
const FILES = Number(process.env.DEVSECRETS_BENCH_SCAN_FILES ?? 10_000);

function sourceFile(i: number): string {
  const lines: string[] = [`// module ${i}`, `import { helper${i % 50} } from "./lib/helper-${i % 50}.js";`];
  for (let k = 0; k < 40; k++)
    lines.push(
      `export function f${k}(a, b) { return helper${i % 50}(a + ${k}, "${randomBytes(6).toString("hex")}", b); }`,
    );
  if (i % 500 === 0) lines.push(`const token = "${checksummedToken("ghp_")}";`);
  return `${lines.join("\n")}\n`;
}

function makeTree(): string {
  const root = mkdtempSync(join(tmpdir(), "ds-bench-scan-"));
  for (let i = 0; i < FILES; i++) {
    const dir = join(root, "src", `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `m${i}.js`), sourceFile(i));
  }
  execFileSync("git", ["init", "-q"], { cwd: root });
  return root;
}

async function secretlintAlone(root: string): Promise<{ ms: number; messages: number }> {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: root, maxBuffer: 1 << 28 })
    .toString()
    .split("\0")
    .filter(Boolean);
  const config = { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: creator }] };
  const start = performance.now();
  let messages = 0;
  for (const file of files) {
    const content = readFileSync(join(root, file), "utf8");
    const result = await lintSource({
      source: { content, filePath: join(root, file), contentType: "text" },
      options: { config },
    });
    messages += result.messages.length;
  }
  return { ms: performance.now() - start, messages };
}

async function devsecretsScan(root: string, fingerprints: number): Promise<{ ms: number; findings: number }> {
  const served = new ServedValues();
  for (let i = 0; i < fingerprints; i++)
    served.record(randomBytes(8 + (i % 40)).toString("base64url"), i % 2 ? "random/hex" : null);
  const matcher = fingerprints > 0 ? new ServedMatcher(served.fingerprints()) : null;
  const start = performance.now();
  const list = await listTargets([root], root);
  const result = await scanTargets(list, { served: matcher, registry: null });
  return { ms: performance.now() - start, findings: result.findings.length };
}

export async function run(): Promise<void> {
  const root = makeTree();
  try {
    // one warm-up of each on a small part: module loading is not what we compare
    await secretlintAlone(join(root, "src", "d0"));
    await devsecretsScan(join(root, "src", "d0"), 1);
    const peer = await secretlintAlone(root);
    const none = await devsecretsScan(root, 0);
    const fifty = await devsecretsScan(root, 50);
    printTable(
      BENCH,
      `scan of ${FILES} generated files (${FILES / 500} planted GitHub tokens), ms`,
      ["tool", "ms", "found", "× secretlint"],
      [
        ["secretlint alone (@secretlint/core, recommended preset)", peer.ms, peer.messages, 1],
        [
          "devsecrets scan, no daemon (live-form rules + the preset's other rules + git listing)",
          none.ms,
          none.findings,
          none.ms / peer.ms,
        ],
        ["devsecrets scan, 50 served-value fingerprints", fifty.ms, fifty.findings, fifty.ms / peer.ms],
      ],
    );
    note(
      BENCH,
      "served values: one 8-byte window for every value (a 16-bit head pre-check), then the whole-length pre-check, SHA-256 only when both match",
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
