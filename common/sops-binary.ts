// Where the sops binary is, for the daemon (sops://) and doctor: DEVSECRETS_SOPS, then PATH, then ~/go/bin (where
// `go install github.com/getsops/sops/v3/cmd/sops@v3.13.3` puts it).
// Rule: a lookup only: nothing is run here.

import { existsSync, statSync } from "node:fs";
import { delimiter, join } from "node:path";

const executable = (path: string): boolean => {
  try {
    return statSync(path).isFile() && (statSync(path).mode & 0o111) !== 0;
  } catch {
    return false;
  }
};

/** DEVSECRETS_SOPS, then PATH, then ~/go/bin (where `go install` puts it); null when none is there */
export function findSops(env: NodeJS.ProcessEnv): string | null {
  if (env.DEVSECRETS_SOPS) return executable(env.DEVSECRETS_SOPS) ? env.DEVSECRETS_SOPS : null;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (dir && executable(join(dir, "sops"))) return join(dir, "sops");
  }
  const gopath = env.GOPATH || (env.HOME ? join(env.HOME, "go") : "");
  const fromGo = gopath ? join(gopath, "bin", "sops") : "";
  return fromGo && existsSync(fromGo) && executable(fromGo) ? fromGo : null;
}
