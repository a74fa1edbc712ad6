// Which secrets engine serves a path: KV v1, KV v2 or something else (database, ...), asked once per mount per session.
// Rule: sys/internal/ui/mounts/<path> answers the mount and its options; the answer is cached in the session.

import { DevsecretsError } from "../../../common/errors.js";
import type { Reference } from "../../resolve/reference.js";
import { vaultFailure } from "./vault-http.js";
import type { VaultSession } from "./vault-session.js";

export interface MountInfo {
  /** "secret/" */
  path: string;
  type: string;
  /** 1 or 2 for kv, null for other engines */
  kvVersion: 1 | 2 | null;
}

export async function mountOf(session: VaultSession, ref: Reference): Promise<MountInfo> {
  const path = `${ref.path}/`;
  // the longest known mount that holds the path (mounts may nest: secret/ and secret/team/)
  const known = [...session.mounts.keys()]
    .filter((prefix) => path.startsWith(prefix))
    .sort((a, b) => b.length - a.length)[0];
  if (known) return session.mounts.get(known) as MountInfo;
  let answer;
  try {
    answer = await session.http.read(`sys/internal/ui/mounts/${encodePath(ref.path)}`);
  } catch (error) {
    const failure = vaultFailure(error, session.state.endpoint, `the mount of ${ref.raw}`, `${ref.path}`);
    if (failure.code === "DS_VAULT_FORBIDDEN") {
      // Vault answers 403 both for "no such mount" and "no policy under it"
      throw new DevsecretsError(
        "DS_VAULT_FORBIDDEN",
        `Vault at ${session.address} has no mount at ${ref.path} the session may use (${ref.raw})`,
        { hint: failure.hint },
      );
    }
    throw failure;
  }
  const data = (answer?.data ?? {}) as { path?: unknown; type?: unknown; options?: { version?: unknown } | null };
  if (typeof data.path !== "string" || typeof data.type !== "string") {
    throw new DevsecretsError(
      "DS_VAULT_ERROR",
      `Vault at ${session.address} did not say which mount serves ${ref.raw}`,
    );
  }
  const kvVersion =
    data.type === "kv" || data.type === "generic" ? (String(data.options?.version ?? "1") === "2" ? 2 : 1) : null;
  const info: MountInfo = { path: data.path.endsWith("/") ? data.path : `${data.path}/`, type: data.type, kvVersion };
  session.mounts.set(info.path, info);
  return info;
}

/** each segment percent-encoded, slashes kept */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
