// Loads libc through koffi (prebuilt FFI from npm) for the few system calls Node does not expose.
// Rule: never throws: a platform without koffi or glibc gets null and a reason, and callers say so once.

import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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
    const koffi = loadKoffi();
    const lib = koffi.load("libc.so.6");
    loaded = { libc: { koffi, func: (definition) => lib.func(definition) }, reason: "" };
  } catch (error) {
    loaded = { libc: null, reason: `koffi could not load libc (${(error as Error)?.name ?? "error"})` };
  }
  return loaded;
}

let koffiModule: Koffi | undefined;

/** koffi: its prebuilt addon where it is found as npm installs it, else the package's own entry */
export function loadKoffi(): Koffi {
  koffiModule ??= prebuiltAddon() ?? (createRequire(import.meta.url)("koffi") as Koffi);
  return koffiModule;
}

/**
 * koffi's prebuilt addon (@koromix/koffi-<os>-<cpu>), loaded as is. koffi's entry compiles ~17 KB of JavaScript to
 * find the same file and wrap it in deprecation warnings: 10-20 ms here, paid by every CLI command that checks the
 * daemon's peer; the addon alone loads in ~1 ms. Looked for where npm puts it (hoisted, or under koffi), from this
 * file up; undefined when it is not there or will not load (musl, a source build): the caller takes the entry then.
 */
function prebuiltAddon(): Koffi | undefined {
  const pkg = join("@koromix", `koffi-${process.platform}-${process.arch}`);
  const addon = join(`${process.platform}_${process.arch}`, "koffi.node");
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    for (const modules of [join(dir, "node_modules"), join(dir, "node_modules", "koffi", "node_modules")]) {
      const path = join(modules, pkg, addon);
      if (!existsSync(path)) continue;
      try {
        const loaded = createRequire(import.meta.url)(path) as Partial<Koffi>;
        return typeof loaded.load === "function" ? (loaded as Koffi) : undefined;
      } catch {
        return undefined;
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}
