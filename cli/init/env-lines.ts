// Writes the devsecrets.env lines init adds, and merges them into an existing file without touching a line the user wrote.
// Rule: existing text is kept byte for byte; only new names are appended; files are replaced atomically (temp + rename).

import { rename, writeFile, rm } from "node:fs/promises";
import type { EnvEntry, QuoteStyle } from "../../common/env-file-parser.js";

/** one NAME=value line that the parser reads back to the same value and quote style */
export function envLine(name: string, value: string, quote: QuoteStyle): string {
  switch (quote) {
    case "single":
      return `${name}='${value}'`;
    case "backtick":
      return `${name}=\`${value}\``;
    case "double":
      return `${name}="${value.replaceAll("\r", "\\r").replaceAll("\n", "\\n")}"`;
    default:
      return `${name}=${value}`;
  }
}

export interface MergeResult {
  text: string;
  /** names already defined in the existing file: their lines were left as the user wrote them */
  kept: Set<string>;
  /** of the kept names, those whose existing line is exactly what init would write */
  same: Set<string>;
}

/** appends `lines` (name -> [value, quote]) to `existing`, skipping names it already defines */
export function mergeEnvText(
  existing: string,
  existingEntries: readonly EnvEntry[],
  wanted: ReadonlyMap<string, { value: string; quote: QuoteStyle }>,
  header: string,
): MergeResult {
  const defined = new Map(existingEntries.map((e) => [e.name, e]));
  const kept = new Set<string>();
  const same = new Set<string>();
  const added: string[] = [];
  for (const [name, line] of wanted) {
    const previous = defined.get(name);
    if (previous) {
      kept.add(name);
      if (previous.value === line.value) same.add(name);
      continue;
    }
    added.push(envLine(name, line.value, line.quote));
  }
  if (added.length === 0) return { text: existing, kept, same };
  const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
  const spacer = existing.trim() === "" ? "" : "\n";
  return { text: `${existing}${separator}${spacer}${header}\n${added.join("\n")}\n`, kept, same };
}

/** replaces `path` with `text` so that a reader sees the old file or the new one, never half */
export async function writeAtomically(path: string, text: string, mode = 0o644): Promise<void> {
  const temp = `${path}.devsecrets-tmp-${process.pid}`;
  try {
    await writeFile(temp, text, { mode });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
