// Node's permission model (`node --permission`) refusing what a Node client needs, as DS_PERMISSION: one line naming
// the flag that was missing and every --allow-* flag the client documents (README "Node versions"), never a raw stack.
// Rule: recognised by Node's own error (code ERR_ACCESS_DENIED; the flag from its "Use --allow-… to manage
// permissions", which every version prints, also where `permission` is absent, as for node:net on 26). Built-ins only:
// the preloads bundle it.

import type { Failure } from "./answer.js";

/** what each flag allows, said for a person (Node's error names the flag; `permission` is absent for node:net on 26) */
const REFUSED: Record<string, string> = {
  "--allow-fs-read": "reading a file",
  "--allow-fs-write": "writing a file",
  "--allow-worker": "a worker thread",
  "--allow-child-process": "starting a process (the daemon)",
  "--allow-net": "a connection (the daemon's socket)",
};

/** the flags the Node preloads need under --permission (README "Node versions"); --allow-net where this Node has it */
export function preloadFlags(): string {
  const net = process.allowedNodeEnvironmentFlags.has("--allow-net") ? ", --allow-net" : "";
  return `--allow-fs-read (devsecrets' folder and the app's), --allow-worker (-r), --allow-child-process (to start the daemon)${net}`;
}

/** DS_PERMISSION for an ERR_ACCESS_DENIED, else undefined; `needs` lists the flags this client documents */
export function permissionDenied(error: unknown, needs: string = preloadFlags()): Failure | undefined {
  const denied = error as { code?: unknown; permission?: unknown; resource?: unknown; message?: unknown } | null;
  if (denied?.code !== "ERR_ACCESS_DENIED") return undefined;
  const flag = /Use (--allow-[\w-]+)/.exec(String(denied.message))?.[1];
  const what = (flag && REFUSED[flag]) ?? (typeof denied.permission === "string" ? denied.permission : "access");
  // the path of a refused read or write helps choose the --allow-fs-* value; other resources say nothing more
  const where = flag?.startsWith("--allow-fs-") && typeof denied.resource === "string" ? ` (${denied.resource})` : "";
  return {
    code: "DS_PERMISSION",
    message: `node --permission refused ${what}${where}${flag ? `: add ${flag}` : ""}; devsecrets needs ${needs}`,
    hint: "add the flags to node's command line (README, Node versions), or set DEVSECRETS_OPTIONAL=1 to start without the project's variables",
  };
}
