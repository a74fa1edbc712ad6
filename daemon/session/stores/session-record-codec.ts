// Turns a SessionRecord into plain JSON data and back, for stores that keep it as one opaque secret.
// Rule: the only place Secret fields of a record are unwrapped; callers hand the result straight to ciphertext or the keychain.

import { Secret } from "../../../common/secret.js";
import { DevsecretsError } from "../../../common/errors.js";
import type { SessionRecord, StoreKind } from "../session-store.js";

type PlainExtra = string | number | boolean | null | { secret: string };

/** the record as JSON data: the same fields, its secrets unwrapped, a format version */
export type PlainSessionRecord = Omit<SessionRecord, "credential" | "extra"> & {
  v: 1;
  credential: string;
  extra?: Record<string, PlainExtra>;
};

export function encodeSessionRecord(record: SessionRecord): PlainSessionRecord {
  const plain: PlainSessionRecord = {
    v: 1,
    id: record.id,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
    idleSeconds: record.idleSeconds,
    env: record.env,
    store: record.store,
    credential: record.credential.reveal(),
  };
  if (record.extra !== undefined) {
    plain.extra = {};
    for (const [key, value] of Object.entries(record.extra)) {
      plain.extra[key] = value instanceof Secret ? { secret: value.reveal() } : value;
    }
  }
  return plain;
}

export function decodeSessionRecord(data: unknown, where: string): SessionRecord {
  const bad = (why: string): never => {
    throw new DevsecretsError("DS_INTERNAL", `the session record in ${where} is unreadable: ${why}`, {
      hint: "run `devsecrets logout` to clear it, then `devsecrets login`",
    });
  };
  if (typeof data !== "object" || data === null) return bad("not an object");
  const r = data as Record<string, unknown>;
  if (r.v !== 1) bad(`unknown version ${JSON.stringify(r.v)}`);
  for (const key of ["id", "createdAt", "expiresAt", "env", "credential"] as const) {
    if (typeof r[key] !== "string") bad(`field ${key} is missing`);
  }
  if (typeof r.idleSeconds !== "number") bad("field idleSeconds is missing");
  if (r.store !== "keychain" && r.store !== "memory" && r.store !== "file") bad("field store is not a store kind");
  const record: SessionRecord = {
    id: r.id as string,
    createdAt: r.createdAt as string,
    expiresAt: r.expiresAt as string,
    idleSeconds: r.idleSeconds as number,
    env: r.env as string,
    store: r.store as StoreKind,
    credential: new Secret(r.credential as string),
  };
  if (r.extra !== undefined) {
    if (typeof r.extra !== "object" || r.extra === null) return bad("field extra is not an object");
    record.extra = {};
    for (const [key, value] of Object.entries(r.extra as Record<string, unknown>)) {
      record.extra[key] = decodeExtra(value, key, bad);
    }
  }
  return record;
}

function decodeExtra(
  value: unknown,
  key: string,
  bad: (why: string) => never,
): Secret | string | number | boolean | null {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return value;
  if (typeof value === "object" && typeof (value as { secret?: unknown }).secret === "string") {
    return new Secret((value as { secret: string }).secret);
  }
  return bad(`extra.${key} has an unknown shape`);
}
