// Every candidate secret in one file's text: our live-form rules first, then the secretlint rules they do not replace.
// Rule: a rule is tried only on a file holding one of its keywords; a secretlint hit inside one of ours is the same.

import { LIVE_RULES } from "./live-rules.js";
import { secretlintHits } from "./secretlint-check.js";
import type { Candidate } from "./verdict.js";

export function liveRuleHits(text: string): Candidate[] {
  const lower = text.toLowerCase();
  const hits: Candidate[] = [];
  for (const rule of LIVE_RULES) {
    if (!rule.keywords.some((keyword) => lower.includes(keyword))) continue;
    for (const match of text.matchAll(rule.pattern)) {
      const secret = match.groups?.secret ?? match[0];
      const offset = match.index + match[0].lastIndexOf(secret);
      const { kind, label } = rule.describe(secret, match);
      hits.push({ rule: rule.id, offset, secret, label, liveFormOf: kind, refuted: rule.refute?.(secret) ?? null });
    }
  }
  return dropOverlaps(hits, []);
}

export async function ruleHits(text: string, filePath: string): Promise<Candidate[]> {
  const ours = liveRuleHits(text);
  const theirs = (await secretlintHits(text, filePath, "rest")).map(
    (hit): Candidate => ({
      rule: hit.rule,
      offset: hit.offset,
      secret: hit.secret,
      label: hit.messageId,
      liveFormOf: "",
      refuted: null,
    }),
  );
  return dropOverlaps(theirs, ours);
}

/** `kept` plus each of `more` that overlaps none kept before it (the earlier rule names it better) */
function dropOverlaps(more: Candidate[], kept: Candidate[]): Candidate[] {
  const out = [...kept];
  for (const hit of more) {
    const end = hit.offset + hit.secret.length;
    if (out.some((other) => hit.offset < other.offset + other.secret.length && end > other.offset)) continue;
    out.push(hit);
  }
  return out;
}
