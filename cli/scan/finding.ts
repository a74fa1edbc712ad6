// One thing `scan` found: where, which rule, a redacted preview, and whether it is a harmless sandbox token.
// Rule: a finding never carries the secret; `preview` is at most 4 leading characters and the length.

export interface Finding {
  file: string;
  line: number;
  column: number;
  rule: string;
  /** what it is, in words: "GitHub token", "served value (keychain, vault)", "sandbox token (harmless)" */
  kind: string;
  preview: string;
  /** true: a sandbox token (served as one this session, in the minted registry, or marked); it does not fail the scan */
  sandbox: boolean;
  /** why it is or is not a leak, in words (`scan --explain`) */
  why: string;
  /** a rule matched but it is no credential (a placeholder, a failed checksum): listed by --explain only */
  dismissed?: true;
}

/** the first characters of a secret and its length; fewer characters for short secrets, never more than a quarter */
export function redactedPreview(secret: string): string {
  const chars = [...secret];
  const shown = Math.min(4, Math.floor(chars.length / 4));
  return `${chars.slice(0, shown).join("")}…(${chars.length} chars)`;
}

/** 1-based line and column of a UTF-16 offset */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
