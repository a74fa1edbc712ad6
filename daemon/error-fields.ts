// What the daemon log may keep of an unexpected error: its name, its code and its stack frames.
// Rule: never the message line, nor any line of it (a message may quote input, a path, or a value).

import type { LogFields } from "./log.js";

const MAX_FRAMES = 20;
// a V8 frame: "    at fn (file:line:col)", "    at file:line:col", "    at async fn (node:internal/...)"
const FRAME = /^ {4}at (?:[^\n]* \()?(?:file:\/\/|node:|\/|<anonymous>|native)[^\n]*?(?::\d+:\d+)?\)?$/;

function nameOf(error: unknown): string {
  if (error instanceof Error) return error.name.slice(0, 80);
  return error === null ? "null" : typeof error;
}

/** the frames of error.stack, with the header ("Name: message", however many lines it has) cut off first */
export function stackFrames(error: unknown): string[] {
  if (!(error instanceof Error) || typeof error.stack !== "string") return [];
  let stack = error.stack;
  const header = error.message === "" ? error.name : `${error.name}: ${error.message}`;
  if (stack.startsWith(header)) stack = stack.slice(header.length);
  const frames: string[] = [];
  for (const line of stack.split("\n")) {
    // anything that does not look like a frame could be a line of the message: dropped
    if (FRAME.test(line)) frames.push(line.trim().slice(0, 300));
    if (frames.length === MAX_FRAMES) break;
  }
  return frames;
}

export function errorFields(error: unknown): LogFields {
  return {
    name: nameOf(error),
    code: String((error as { code?: unknown } | null)?.code ?? "").slice(0, 40),
    frames: stackFrames(error),
  };
}
