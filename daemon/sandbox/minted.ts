// Builders for the two shapes a mint returns: one value, or named fields minted together.
// Rule: every value leaves a minter wrapped in a Secret.

import { Secret } from "../../common/secret.js";
import type { Minted } from "./sandbox-kind.js";

export function singleValue(value: string): Minted {
  return { value: new Secret(value) };
}

/** `notSecret`: the fields declared secret: false (hosts, ports, URLs without a password) */
export function multiField(values: Readonly<Record<string, string>>, notSecret: readonly string[] = []): Minted {
  const fields: Record<string, Secret> = {};
  for (const [name, value] of Object.entries(values)) fields[name] = new Secret(value, !notSecret.includes(name));
  return { fields };
}
