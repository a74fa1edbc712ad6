// Loads libc through koffi (prebuilt FFI from npm) for the few system calls Node does not expose.
// Rule: never throws: a platform without koffi or glibc gets null and a reason, and callers say so once.

import { createRequire } from "node:module";

type KoffiFunction = (...args: unknown[]) => unknown;
export interface Koffi {
  load(path: string): { func(definition: string): KoffiFunction };
  struct(name: string, members: Record<string, string>): unknown;
}

export interface Libc {
  koffi: Koffi;
  func(definition: string): KoffiFunction;
}

let loaded: { libc: Libc | null; reason: string } | undefined;

/** libc.so.6 on Linux; null elsewhere or when koffi will not load, with the reason */
export function loadLibc(): { libc: Libc | null; reason: string } {
  if (loaded !== undefined) return loaded;
  if (process.platform !== "linux") {
    loaded = { libc: null, reason: `not available on ${process.platform}` };
    return loaded;
  }
  try {
    const koffi = createRequire(import.meta.url)("koffi") as Koffi;
    const lib = koffi.load("libc.so.6");
    loaded = { libc: { koffi, func: (definition) => lib.func(definition) }, reason: "" };
  } catch (error) {
    loaded = { libc: null, reason: `koffi could not load libc (${(error as Error)?.name ?? "error"})` };
  }
  return loaded;
}
