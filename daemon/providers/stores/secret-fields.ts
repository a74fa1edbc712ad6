// A store's value as the reference asks for it: the whole string without #FIELD, one field of a JSON object with one.
// Rule: the value never appears in an error; a missing field or a value that is not a JSON object names the reference.

import { DevsecretsError } from "../../../common/errors.js";
import { Secret } from "../../../common/secret.js";
import type { Reference } from "../../resolve/reference.js";

/** `text` whole, or the field `#a.b` of its JSON object (dot path: sops nests, Secrets Manager does not) */
export function selectStoreField(text: string, ref: Reference, where: string, what: string): Secret {
  if (ref.field === null) return new Secret(text);
  let node: unknown;
  try {
    node = JSON.parse(text);
  } catch {
    throw new DevsecretsError(
      "DS_REF_NOT_FOUND",
      `${where}: ${what} is not a JSON object, so ${ref.raw} has no field`,
      {
        hint: "drop the #FIELD to get the whole value, or store the secret as JSON key/value pairs",
      },
    );
  }
  const whole = node;
  for (const key of ref.scheme === "sops" ? ref.field.split(".") : [ref.field]) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) {
      node = undefined;
      break;
    }
    node = (node as Record<string, unknown>)[key];
  }
  if (node === undefined || node === null || typeof node === "object") {
    const keys =
      typeof whole === "object" && whole !== null && !Array.isArray(whole) ? Object.keys(whole).slice(0, 20) : [];
    throw new DevsecretsError("DS_REF_NOT_FOUND", `${where}: ${what} has no field "${ref.field}" (${ref.raw})`, {
      hint: keys.length > 0 ? `its fields are: ${keys.join(", ")}` : "check the #FIELD",
    });
  }
  return new Secret(String(node));
}
