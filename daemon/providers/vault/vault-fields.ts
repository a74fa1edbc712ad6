// Picks #FIELD out of what Vault answered (a KV secret's keys, a lease's username/password).
// Rule: a missing field is DS_REF_NOT_FOUND naming the fields there are, never their values.

import { DevsecretsError } from "../../../common/errors.js";
import { Secret } from "../../../common/secret.js";
import type { Reference } from "../../resolve/reference.js";

export type VaultFields = Readonly<Record<string, Secret>>;

/** strings as they are; numbers, booleans and objects as JSON text */
export function toFields(data: Record<string, unknown>): VaultFields {
  const fields: Record<string, Secret> = {};
  for (const [name, value] of Object.entries(data)) {
    if (value === null || value === undefined) continue;
    fields[name] = new Secret(typeof value === "string" ? value : JSON.stringify(value));
  }
  return fields;
}

export function selectVaultField(fields: VaultFields, ref: Reference, where: string): Secret {
  const names = Object.keys(fields).sort();
  if (ref.field === null) {
    if (names.length === 1) return fields[names[0] as string] as Secret;
    throw new DevsecretsError(
      "DS_REF_NOT_FOUND",
      `${where}: ${ref.raw} needs a #FIELD: the secret has ${names.length ? names.join(", ") : "no fields"}`,
      {
        hint: `name one, e.g. ${ref.raw}#${names[0] ?? "FIELD"}`,
      },
    );
  }
  const value = fields[ref.field];
  if (value === undefined || !Object.hasOwn(fields, ref.field)) {
    throw new DevsecretsError(
      "DS_REF_NOT_FOUND",
      `${where}: ${ref.raw}: no field "${ref.field.slice(0, 80)}" (fields: ${names.length ? names.join(", ") : "none"})`,
      {
        hint: "use one of the listed fields, or add the field to the secret in Vault",
      },
    );
  }
  return value;
}
