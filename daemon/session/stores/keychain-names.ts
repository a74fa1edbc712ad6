// Names of keychain:// values and the project id that scopes them (keychain account `<projectId>/<NAME>`).
// Rule: a name is checked before it reaches any store; messages quote the name escaped, never a value.

import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { realpath } from "node:fs/promises";
import { DevsecretsError } from "../../../common/errors.js";

const MAX_NAME = 128;
const CONTROL = /\p{Cc}/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** returns the NFC form of a keychain:// name; throws DS_REF_SYNTAX when it cannot be a keychain account suffix */
export function validateKeychainName(name: string): string {
  const shown = JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
  const fail = (why: string): never => {
    throw new DevsecretsError("DS_REF_SYNTAX", `keychain name ${shown} ${why}`, {
      hint: "keychain names are 1 to 128 characters without '/', NUL or control characters (keychain://NAME)",
    });
  };
  if (typeof name !== "string" || name.length === 0) fail("is empty");
  if (LONE_SURROGATE.test(name)) fail("is not well-formed Unicode");
  const nfc = name.normalize("NFC");
  if (nfc.includes("/")) fail("contains '/'");
  if (nfc.includes("\0")) fail("contains NUL");
  if (CONTROL.test(nfc)) fail("contains a control character");
  if ([...nfc].length > MAX_NAME) fail(`is longer than ${MAX_NAME} characters`);
  return nfc;
}

const PROJECT_ID = /^[0-9a-f]{16}$/;

export function isProjectId(value: string): boolean {
  return PROJECT_ID.test(value);
}

/** accounts devsecrets keeps for itself beside the projects' values (`sops/age-identity`); no project id is a word */
const OWN_ACCOUNTS = new Set(["sops"]);

/** `<projectId>/<NAME>`: the keychain account of a keychain:// value; every store keys values by it */
export function valueAccount(projectId: string, name: string): string {
  if (!isProjectId(projectId) && !OWN_ACCOUNTS.has(projectId)) {
    throw new DevsecretsError(
      "DS_INTERNAL",
      `project id ${JSON.stringify(String(projectId).slice(0, 32))} is not 16 hex digits`,
    );
  }
  return `${projectId}/${validateKeychainName(name)}`;
}

/** first 16 hex digits of SHA-256 of the normalised origin URL, or of the root's real path when there is no origin */
export async function projectId(root: string): Promise<string> {
  const origin = await originUrl(root);
  return projectIdOf(origin, origin === null ? await realpath(root) : "");
}

/** `git@Host:org/repo.git`, `https://user:pw@Host/org/repo/` and `ssh://git@host/org/repo` all become `host/org/repo` */
export function normaliseRemoteUrl(url: string): string {
  let rest = url.trim();
  let host = "";
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(rest);
  if (scheme) {
    rest = rest.slice(scheme[0].length);
    const slash = rest.indexOf("/");
    host = slash === -1 ? rest : rest.slice(0, slash);
    rest = slash === -1 ? "" : rest.slice(slash);
  } else {
    // scp-like `[user@]host:path`: a colon before any slash (a local path has none)
    const scp = /^([^/:]+):(?!\/\/)(.*)$/s.exec(rest);
    if (scp) {
      host = scp[1] ?? "";
      rest = `/${scp[2] ?? ""}`;
    }
  }
  host = host.slice(host.lastIndexOf("@") + 1).toLowerCase();
  rest = rest
    .replace(/\/+$/, "")
    .replace(/\.git$/i, "")
    .replace(/\/+$/, "");
  if (host === "") return rest;
  return `${host}${rest.startsWith("/") ? rest : `/${rest}`}`;
}

const GIT_ENV_NAMES = ["PATH", "HOME", "XDG_CONFIG_HOME", "LANG", "SYSTEMROOT"];

function gitEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of GIT_ENV_NAMES) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** the root's origin URL (null: none) and whether git gave a definitive answer (exit 0, or 1 for "no such key") */
export interface OriginLookup {
  url: string | null;
  definitive: boolean;
}

export function lookupOrigin(root: string): Promise<OriginLookup> {
  return new Promise((resolve) => {
    execFile(
      "git",
      ["-C", root, "config", "--get", "remote.origin.url"],
      // an explicit, minimal environment: git needs no secret of the daemon's to read a config value
      { timeout: 5000, windowsHide: true, env: gitEnvironment() },
      (error, stdout) => {
        // exit 1: no origin; ENOENT: no git; either way the project is identified by its path
        const url = error ? "" : String(stdout).trim();
        resolve({ url: url === "" ? null : url, definitive: error === null || error.code === 1 });
      },
    );
  });
}

export async function originUrl(root: string): Promise<string | null> {
  return (await lookupOrigin(root)).url;
}

/** the id of a project whose origin is known: the origin's hash, else the hash of the root's real path */
export function projectIdOf(origin: string | null, realRoot: string): string {
  const basis = origin === null ? realRoot : normaliseRemoteUrl(origin);
  return createHash("sha256").update(basis, "utf8").digest("hex").slice(0, 16);
}
