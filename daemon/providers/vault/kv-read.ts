// Reads a KV secret (v1 or v2, `?version=N` for v2), or a static secret of another engine, as fields.
// Rule: missing is DS_REF_NOT_FOUND, denied is DS_VAULT_FORBIDDEN with the policy path the read needs.

import { DevsecretsError } from "../../../common/errors.js";
import type { Reference } from "../../resolve/reference.js";
import { vaultFailure, type VaultAnswer } from "./vault-http.js";
import { encodePath, type MountInfo } from "./kv-mounts.js";
import type { VaultSession } from "./vault-session.js";

export interface KvLocation {
  /** what is read: "secret/data/app" */
  readPath: string;
  /** what a rotation watch reads: "secret/metadata/app" (v2 only) */
  metadataPath: string | null;
}

export function kvLocation(mount: MountInfo, ref: Reference): KvLocation {
  const inside = ref.path.slice(mount.path.length);
  if (mount.kvVersion === 2)
    return { readPath: `${mount.path}data/${inside}`, metadataPath: `${mount.path}metadata/${inside}` };
  return { readPath: ref.path, metadataPath: null };
}

export interface KvSecret {
  data: Record<string, unknown>;
  version: number | null;
}

/** answers the secret, or throws; a `version` on a KV v1 path is a reference error */
export async function readKv(
  session: VaultSession,
  mount: MountInfo,
  ref: Reference,
  where: string,
): Promise<KvSecret> {
  const location = kvLocation(mount, ref);
  if (ref.query.version !== undefined && mount.kvVersion !== 2) {
    throw new DevsecretsError(
      "DS_REF_SYNTAX",
      `${where}: ${ref.raw} asks for a version, but ${mount.path} is ${mount.kvVersion === 1 ? "KV v1" : `a ${mount.type} mount`} (versions are KV v2 only)`,
      {
        hint: "drop ?version=N, or move the secret to a KV v2 mount",
      },
    );
  }
  const query = ref.query.version !== undefined ? `?version=${ref.query.version}` : "";
  let answer: VaultAnswer | null;
  try {
    answer = await session.http.read(`${encodePath(location.readPath)}${query}`, { allowMissing: true });
  } catch (error) {
    throw vaultFailure(error, session.state.endpoint, ref.raw, location.readPath);
  }
  const missing = (): never => {
    throw new DevsecretsError(
      "DS_REF_NOT_FOUND",
      `${where}: Vault at ${session.address} has no secret at ${ref.raw}${ref.query.version ? ` (version ${ref.query.version})` : ""}`,
      {
        hint: mount.kvVersion === 2 ? `check the path with \`bao kv get ${ref.path}\`` : "check the mount and path",
      },
    );
  };
  if (!answer) return missing();
  if (mount.kvVersion === 2) {
    const body = (answer.data ?? {}) as { data?: Record<string, unknown> | null; metadata?: { version?: number } };
    // a deleted or destroyed version answers data: null
    if (!body.data) return missing();
    return { data: body.data, version: typeof body.metadata?.version === "number" ? body.metadata.version : null };
  }
  return { data: (answer.data ?? {}) as Record<string, unknown>, version: null };
}

/** KV v2's current version of a path, for the rotation watch; null when it is gone */
export async function currentVersion(session: VaultSession, metadataPath: string): Promise<number | null> {
  const answer = await session.http.read(encodePath(metadataPath), { allowMissing: true, budgetMs: 2_000 });
  const version = (answer?.data as { current_version?: unknown } | undefined)?.current_version;
  return typeof version === "number" ? version : null;
}
