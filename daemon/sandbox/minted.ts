// Builders for the two shapes a mint returns: one value, or named fields minted together.
// Rule: every value leaves a minter wrapped in a Secret.

import { Secret } from "../../common/secret.js";
import type { Minted } from "./sandbox-kind.js";

export function singleValue(value: string): Minted {
  return { value: new Secret(value) };
}

export function multiField(values: Readonly<Record<string, string>>): Minted {
  const fields: Record<string, Secret> = {};
  for (const [name, value] of Object.entries(values)) fields[name] = new Secret(value);
  return { fields };
}
