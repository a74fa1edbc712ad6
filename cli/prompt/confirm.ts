// A y/N question on the terminal: the answer is yes only when the user types y or yes.
// Rule: asked only when stdin and stderr are a terminal; anything else (a script, a pipe) is never taken for a yes.

import { createInterface } from "node:readline/promises";

/** whether a question can be asked: both ends of the conversation are a terminal */
export function canAsk(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}

export async function confirm(question: string): Promise<boolean> {
  const reader = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    const answer = await reader.question(`devsecrets: ${question} [y/N] `);
    return /^\s*(y|yes)\s*$/i.test(answer);
  } finally {
    reader.close();
  }
}
