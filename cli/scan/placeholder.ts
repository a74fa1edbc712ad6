// Tells a placeholder from a value: documentation examples, template holes, x-runs and sequences are no leak.
// Rule: a reason in words or null; only shapes no issued credential has (the chance a random token holds one of the
// words below is under one in a million per token).

import { shannonEntropy } from "../../common/token-formats.js";

const HOLES = /\$\{|\{\{|<[^>]{0,40}>|%\(|\$[A-Z_]{3,}/;
const RUNS = /x{5,}|X{5,}|\*{4,}|\.{3}|_{5,}|0{10,}|#{4,}/;
// a word counts only between separators (or as AWS's uppercase EXAMPLE): random characters would otherwise spell a
// four-letter word in about one 164-character key in 2,000
const WORDS =
  /(?:^|[_\-.\s/:])(example|sample|dummy|placeholder|your|yours|changeme|change|redacted|insert|replace|fake|foobar|here|token|secret|key|password|pass|pwd|admin|root|postgres)(?=$|[_\-.\s/:])|EXAMPLE/i;
const SEQUENCES = /0123456789|123456789|abcdefghij|ABCDEFGHIJ|qwerty/i;

/** samples the vendors and tools publish in their documentation, word for word */
const PUBLISHED_EXAMPLES = new Set([
  // jwt.io's sample token (HS256, "John Doe")
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
]);

/** why `secret` is a placeholder rather than a credential, or null when it may be one */
export function placeholderReason(secret: string): string | null {
  if (PUBLISHED_EXAMPLES.has(secret)) return "a sample published in documentation, word for word";
  if (HOLES.test(secret)) return "a template hole (${…}, {{…}}, <…>), not a value";
  if (RUNS.test(secret)) return "a run of x, *, 0 or dots: a placeholder";
  const word = WORDS.exec(secret);
  if (word) return `it holds "${word[1] ?? word[0]}": a documentation example or a placeholder`;
  if (SEQUENCES.test(secret)) return "a counting sequence: a placeholder";
  // an issued token of 16+ characters is random; 2.5 bits per character is far below any vendor's
  if (secret.length >= 16 && shannonEntropy(secret) < 2.5)
    return "too few distinct characters for an issued credential";
  return null;
}
