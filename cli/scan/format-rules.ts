// Our own shape rules for what the recommended preset does not flag alone: AWS access key ids.
// Rule: every hit is checked against the sandbox formats by the scanner; this file only finds shapes.

import type { RuleHit } from "./secretlint-check.js";

const AWS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Z0-9])/g;

export function formatHits(text: string): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const match of text.matchAll(AWS_KEY_ID)) {
    hits.push({
      rule: "devsecrets/aws-access-key-id",
      messageId: "AWSAccessKeyID",
      offset: match.index,
      secret: match[0],
    });
  }
  return hits;
}
