// The stable id of a project: 16 hex digits of SHA-256 over its normalised origin URL, else its real path.
// Rule: two clones of one repository share an id (and so their keychain:// items); git is asked, never trusted to exist.

import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { realpath } from "node:fs/promises";

/** git@host:org/repo.git, https://user:pw@Host/org/repo/ and ssh://git@host/org/repo all become host/org/repo */
export function normaliseRemote(url: string): string {
  let text = url.trim();
  const scp = /^([^@/:]+@)?([^/:]+):(?!\/)(.*)$/.exec(text);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) text = `${scp[2]}/${scp[3]}`;
  text = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "").replace(/^[^@/]*@/, "");
  const slash = text.indexOf("/");
  const host = (slash < 0 ? text : text.slice(0, slash)).toLowerCase().replace(/:(22|443|80)$/, "");
  const path = slash < 0 ? "" : text.slice(slash);
  return `${host}${path}`.replace(/\/+$/, "").replace(/\.git$/, "");
}

function originOf(root: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile("git", ["-C", root, "config", "--get", "remote.origin.url"], { timeout: 2_000, env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/" } }, (error, stdout) => {
      resolve(error || !stdout.trim() ? null : stdout.trim());
    });
  });
}

export async function projectId(root: string): Promise<string> {
  const origin = await originOf(root);
  const basis = origin ? normaliseRemote(origin) : await realpath(root);
  return createHash("sha256").update(basis).digest("hex").slice(0, 16);
}
