// Where the sops binary is, for the daemon (sops://) and doctor: DEVSECRETS_SOPS, then the user config's sops.binary,
// then PATH, then ~/go/bin (where `go install github.com/getsops/sops/v3/cmd/sops@v3.13.3` puts it).
// Rule: a lookup only: nothing is run here.

import { existsSync, readFileSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";
import { configDir } from "./paths.js";

const executable = (path: string): boolean => {
  try {
    return statSync(path).isFile() && (statSync(path).mode & 0o111) !== 0;
  } catch {
    return false;
  }
};

/** the user config's sops.binary, or null (a missing or unreadable config names none) */
function configuredSops(env: NodeJS.ProcessEnv): string | null {
  try {
    const path = join(configDir(env), "config.json");
    if (statSync(path).size > 1024 * 1024) return null;
    const binary = (JSON.parse(readFileSync(path, "utf8")) as { sops?: { binary?: unknown } } | null)?.sops?.binary;
    return typeof binary === "string" && binary !== "" ? binary : null;
  } catch {
    return null;
  }
}

/** DEVSECRETS_SOPS, the user config's sops.binary, PATH, then ~/go/bin; null when none is there (a named one wins) */
export function findSops(env: NodeJS.ProcessEnv): string | null {
  if (env.DEVSECRETS_SOPS) return executable(env.DEVSECRETS_SOPS) ? env.DEVSECRETS_SOPS : null;
  const configured = configuredSops(env);
  if (configured) return executable(configured) ? configured : null;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && executable(join(dir, "sops"))) return join(dir, "sops");
  }
  const gopath = env.GOPATH || (env.HOME ? join(env.HOME, "go") : "");
  const fromGo = gopath ? join(gopath, "bin", "sops") : "";
  return fromGo && existsSync(fromGo) && executable(fromGo) ? fromGo : null;
}
