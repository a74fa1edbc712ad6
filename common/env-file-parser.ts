// Parses devsecrets*.env files: dotenv 16's format, but a line dotenv would silently skip is an error here.
// Rule: errors name the file, line and variable, never a value; one pass over the text, linear time.

import { DevsecretsError } from "./errors.js";

export type QuoteStyle = "none" | "single" | "double" | "backtick";
export interface EnvEntry {
  name: string;
  value: string;
  quote: QuoteStyle;
  line: number;
}

// POSIX names only: dotenv also accepts '.', '-' and a leading digit, which no shell can export.
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAME_HINT =
  "a variable name is letters, digits and '_', not starting with a digit (the POSIX form); '.' and '-' are not allowed";
const QUOTES: Readonly<Record<string, QuoteStyle>> = { "'": "single", '"': "double", "`": "backtick" };

/** JavaScript's whitespace (what dotenv's trim() removes) minus the line breaks */
function isSpace(code: number): boolean {
  return (
    code === 32 ||
    code === 9 ||
    code === 11 ||
    code === 12 ||
    code === 0xa0 ||
    code === 0xfeff ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

function fail(file: string, line: number, what: string, hint?: string): never {
  throw new DevsecretsError("DS_ENV_SYNTAX", `${file}:${line}: ${what}`, hint === undefined ? {} : { hint });
}

/** parses a devsecrets*.env file; throws DevsecretsError DS_ENV_SYNTAX "<file>:<line>: ..." */
export function parseEnvFile(text: string, file: string): EnvEntry[] {
  // dotenv turns CRLF and a lone CR into LF before parsing, inside quoted values too
  const src = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, "\n");
  const entries: EnvEntry[] = [];
  let pos = 0;
  let line = 1;
  while (pos < src.length) {
    let end = src.indexOf("\n", pos);
    if (end < 0) end = src.length;
    let i = pos;
    while (i < end && isSpace(src.charCodeAt(i))) i++;
    if (i === end || src[i] === "#") {
      pos = end + 1;
      line++;
      continue;
    }
    let eq = i;
    while (eq < end && src[eq] !== "=") eq++;
    if (eq === end) fail(file, line, "expected NAME=value, found no '='");
    const name = readName(src.slice(i, eq), file, line);
    let v = eq + 1;
    while (v < end && isSpace(src.charCodeAt(v))) v++;
    const quote = QUOTES[src[v] ?? ""];
    if (quote === undefined) {
      entries.push({ name, value: readUnquoted(src, v, end), quote: "none", line });
      pos = end + 1;
      line++;
      continue;
    }
    const close = findClosingQuote(src, v, name, quote, file, line);
    let value = src.slice(v + 1, close);
    if (quote === "double") value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
    entries.push({ name, value, quote, line });
    for (let k = v; k < close; k++) if (src.charCodeAt(k) === 10) line++;
    const after = src.indexOf("\n", close);
    pos = after < 0 ? src.length : after + 1;
    line++;
  }
  return entries;
}

function readName(raw: string, file: string, line: number): string {
  let name = raw;
  let end = name.length;
  while (end > 0 && isSpace(name.charCodeAt(end - 1))) end--;
  name = name.slice(0, end);
  if (name.startsWith("export") && isSpace(name.charCodeAt(6))) {
    let k = 6;
    while (isSpace(name.charCodeAt(k))) k++;
    name = name.slice(k);
  }
  if (name === "") fail(file, line, "missing variable name before '='", NAME_HINT);
  // the text before '=' may be a pasted secret, so say where it breaks instead of quoting it
  if (!NAME.test(name)) fail(file, line, "invalid variable name", NAME_HINT);
  return name;
}

/** an unquoted value ends at a '#' that follows whitespace (dotenv ends it at any '#') */
function readUnquoted(src: string, start: number, end: number): string {
  let stop = end;
  for (let k = start; k < end; k++) {
    if (src[k] === "#" && isSpace(src.charCodeAt(k - 1))) {
      stop = k;
      break;
    }
  }
  while (stop > start && isSpace(src.charCodeAt(stop - 1))) stop--;
  return src.slice(start, stop);
}

/**
 * Finds the closing quote the way dotenv's regex `"(?:\\"|[^"])*"` settles on it: a quote right after a
 * backslash keeps the value open, unless no later choice leaves only whitespace or a comment on its line.
 */
function findClosingQuote(
  src: string,
  open: number,
  name: string,
  quote: QuoteStyle,
  file: string,
  line: number,
): number {
  const q = src[open] as string;
  const candidates: number[] = [];
  let from = open + 1;
  let settled = false;
  for (;;) {
    const k = src.indexOf(q, from);
    if (k < 0) break;
    candidates.push(k);
    if (src[k - 1] !== "\\") {
      settled = true;
      break;
    }
    from = k + 1;
  }
  // longest first, as the greedy regex; each scan stops at the next candidate or line end: linear overall
  for (let c = candidates.length - 1; c >= 0; c--) {
    const k = candidates[c] as number;
    let j = k + 1;
    while (j < src.length && src[j] !== "\n" && isSpace(src.charCodeAt(j))) j++;
    if (j === src.length || src[j] === "\n" || src[j] === "#") return k;
  }
  const last = candidates[candidates.length - 1];
  if (settled && last !== undefined && !src.slice(open, last).includes("\n")) {
    fail(file, line, `unexpected text after the closing ${quote} quote of ${name} (only a # comment may follow)`);
  }
  fail(
    file,
    line,
    `unterminated ${quote} quote in the value of ${name}`,
    "close the quote; a quoted value may span lines but must end with its quote",
  );
}
