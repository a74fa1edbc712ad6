// Makes sure .gitignore keeps the old .env out of git: adds a line only when no existing line already covers it.
// Rule: the user's .gitignore is appended to, never rewritten; replaced atomically.

import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeAtomically } from "./env-lines.js";

/** adds `entry` (e.g. ".env") to dir/.gitignore; false when a line already names it */
export async function ensureIgnored(dir: string, entry: string): Promise<boolean> {
  const path = join(dir, ".gitignore");
  let text = "";
  try {
    text = await readFile(path, "utf8");
  } catch {
    text = "";
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  if (lines.includes(entry) || lines.includes(`/${entry}`)) return false;
  const separator = text === "" || text.endsWith("\n") ? "" : "\n";
  await writeAtomically(path, `${text}${separator}${entry}\n`);
  return true;
}
