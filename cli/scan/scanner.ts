// Scans a list of targets: secretlint's preset, our AWS id rule, the session's served values, tracked .env files.
// Rule: findings carry redacted previews only; a sandbox token (served as one, or its format) is reported but never fails.

import { recogniseSandboxToken } from "./sandbox-recognise.js";
import { positionOf, redactedPreview, type Finding } from "./finding.js";
import { formatHits } from "./format-rules.js";
import { secretlintHits, type RuleHit } from "./secretlint-check.js";
import type { ServedMatcher } from "./served-check.js";
import type { ScanTarget, TargetList } from "./targets.js";

/** files larger than this are not secrets' usual home and would slow every scan: skipped, and counted */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
const CONCURRENCY = 8;

export interface ScanResult {
  findings: Finding[];
  /** text files read and checked */
  scanned: number;
  /** binary, too large or unreadable */
  skipped: number;
}

function isBinary(data: Buffer): boolean {
  return data.subarray(0, 8000).includes(0);
}

/** "sandbox token (harmless): KIND" when the text is one, else null */
function sandboxKindOf(secret: string, matcher: ServedMatcher | null): string | null {
  const served = matcher?.lookup(secret);
  if (served === null) return null; // served this session as a real value
  if (typeof served === "string") return served;
  return recogniseSandboxToken(secret);
}

function ruleFinding(file: string, text: string, hit: RuleHit, matcher: ServedMatcher | null): Finding {
  const sandboxKind = sandboxKindOf(hit.secret, matcher);
  return {
    file,
    ...positionOf(text, hit.offset),
    rule: hit.rule,
    kind: sandboxKind ? `sandbox token (harmless): ${sandboxKind}` : hit.messageId,
    preview: redactedPreview(hit.secret),
    sandbox: sandboxKind !== null,
  };
}

async function scanOne(target: ScanTarget, matcher: ServedMatcher | null): Promise<Finding[] | null> {
  const data = await target.read();
  if (data === null || data.length > MAX_FILE_BYTES || isBinary(data)) return null;
  const text = data.toString("utf8");
  const hits = [...(await secretlintHits(text, target.file)), ...formatHits(text)];
  const findings = hits.map((hit) => ruleFinding(target.file, text, hit, matcher));
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
    });
  }
  return findings.sort((a, b) => a.line - b.line || a.column - b.column);
}

export async function scanTargets(list: TargetList, matcher: ServedMatcher | null): Promise<ScanResult> {
  const perTarget: (Finding[] | null)[] = new Array(list.targets.length).fill(null);
  let next = 0;
  const worker = async () => {
    while (next < list.targets.length) {
      const index = next++;
      perTarget[index] = await scanOne(list.targets[index] as ScanTarget, matcher);
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
  }));
  let scanned = 0;
  for (const result of perTarget) {
    if (result === null) continue;
    scanned++;
    findings.push(...result);
  }
  return { findings, scanned, skipped: list.targets.length - scanned };
}
