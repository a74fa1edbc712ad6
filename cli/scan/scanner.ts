// Scans a list of targets: our live-form rules, secretlint's other rules, the session's served values, tracked .env files.
// Rule: findings carry redacted previews only; a sandbox token (served, registered or marked) is reported but never fails.

import { positionOf, redactedPreview, type Finding } from "./finding.js";
import { ruleHits } from "./rule-hits.js";
import type { ScanTarget, TargetList } from "./targets.js";
import { type Candidate, type Evidence, judge } from "./verdict.js";

/** files larger than this are not secrets' usual home and would slow every scan: skipped, and counted */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
const CONCURRENCY = 8;

export interface ScanResult {
  findings: Finding[];
  /** text files read and checked */
  scanned: number;
  /** binary, too large or unreadable */
  skipped: number;
  /** what a rule matched but is no credential (a placeholder, a failed checksum): shown by --explain only */
  dismissed: Finding[];
}

function isBinary(data: Buffer): boolean {
  return data.subarray(0, 8000).includes(0);
}

function ruleFinding(file: string, text: string, hit: Candidate, evidence: Evidence): Finding {
  const verdict = judge(hit, evidence);
  const sandbox = verdict.outcome === "sandbox";
  return {
    file,
    ...positionOf(text, hit.offset),
    rule: hit.rule,
    kind: sandbox
      ? `sandbox token (harmless): ${verdict.sandboxKind}`
      : verdict.outcome === "leak"
        ? verdict.kind
        : hit.label,
    preview: redactedPreview(hit.secret),
    sandbox,
    why: verdict.why,
    ...(verdict.outcome === "dismissed" ? { dismissed: true } : {}),
  };
}

async function scanOne(target: ScanTarget, evidence: Evidence): Promise<Finding[] | null> {
  const matcher = evidence.served;
  const data = await target.read();
  if (data === null || data.length > MAX_FILE_BYTES || isBinary(data)) return null;
  const text = data.toString("utf8");
  const hits = await ruleHits(text, target.file);
  const findings = hits.map((hit) => ruleFinding(target.file, text, hit, evidence));
  const covered = hits.map((hit) => [hit.offset, hit.offset + hit.secret.length] as const);
  for (const served of matcher?.find(data) ?? []) {
    const offset = data.subarray(0, served.start).toString("utf8").length;
    const secret = data.subarray(served.start, served.start + served.length).toString("utf8");
    // a rule already reported this text (and checked it against the served values)
    if (covered.some(([from, to]) => offset < to && offset + secret.length > from)) continue;
    const sandbox = served.sandboxKind !== null;
    findings.push({
      file: target.file,
      ...positionOf(text, offset),
      rule: "devsecrets/served-value",
      kind: sandbox ? `sandbox token (harmless): ${served.sandboxKind}` : "a value the daemon served this session",
      preview: redactedPreview(secret),
      sandbox,
      why: sandbox
        ? `this session's sandbox minted it (${served.sandboxKind})`
        : "the daemon served this very value this session as a real credential (from a real store, or a sandbox server that enforces it while the session lasts)",
    });
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

export async function scanTargets(list: TargetList, evidence: Evidence): Promise<ScanResult> {
  const perTarget: (Finding[] | null)[] = new Array(list.targets.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < list.targets.length) {
      const index = next++;
      perTarget[index] = await scanOne(list.targets[index] as ScanTarget, evidence);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const findings: Finding[] = list.trackedEnvFiles.map((file) => ({
    file,
    line: 1,
    column: 1,
    rule: "devsecrets/tracked-env-file",
    kind: "a value-bearing env file is tracked by git (git rm --cached it and add it to .gitignore)",
    preview: "",
    sandbox: false,
    why: "git tracks a file meant to hold values; every value in it is committed",
  }));
  const dismissed: Finding[] = [];
  let scanned = 0;
  for (const result of perTarget) {
    if (result === null) continue;
    scanned++;
    for (const finding of result) (finding.dismissed ? dismissed : findings).push(finding);
  }
  return { findings, scanned, skipped: list.targets.length - scanned, dismissed };
}
