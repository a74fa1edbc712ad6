// The mint pipeline: kind path -> kind, query -> options, mint, and field selection for a reference.
// Rule: unknown kinds, options and fields are DevsecretsErrors that name the reference, never a value.

import { DevsecretsError } from "../../common/errors.js";
import type { Secret } from "../../common/secret.js";
import type { MintContext, Minted, SandboxKind } from "./sandbox-kind.js";
import { parseOptions } from "./options.js";
import { findKind, listKinds } from "./registry.js";

export async function mintKind(
  kindPath: string,
  query: Readonly<Record<string, string>>,
  context: MintContext,
): Promise<{ kind: SandboxKind; minted: Minted }> {
  const kind = findKind(kindPath);
  if (kind === undefined) {
    const close = closestKinds(kindPath);
    throw new DevsecretsError("DS_SANDBOX_KIND", `unknown sandbox kind ${JSON.stringify(kindPath.slice(0, 80))}`, {
      hint: `${close.length > 0 ? `did you mean ${close.join(", ")}? ` : ""}\`devsecrets sandbox kinds\` lists them all`,
    });
  }
  const options = parseOptions(kind, query);
  const minted = await kind.mint(options, context);
  if (kind.live === undefined) context.registry?.remember(kind.kind, revealAll(minted));
  // a live kind's password is a real credential while its server runs: held apart, registered once that server (or
  // role) is gone (daemon/sandbox/settle-live.ts); its host, port and names are no secrets and are not held
  else context.registry?.holdLive?.(kind.kind, revealAll(minted, true));
  return { kind, minted };
}

function revealAll(minted: Minted, secretOnly = false): string[] {
  const all = "value" in minted ? [minted.value] : Object.values(minted.fields);
  return all.filter((field) => !secretOnly || field.secret).map((field) => field.reveal());
}

export function selectField(kind: SandboxKind, minted: Minted, field: string | null, reference: string): Secret {
  if ("value" in minted) {
    if (field === null || field === "value") return minted.value;
    throw new DevsecretsError(
      "DS_SANDBOX_FIELD",
      `${reference}: sandbox kind ${kind.kind} has a single value and no field "${field}"`,
      {
        hint: `remove "#${field}" from the reference`,
      },
    );
  }
  const names = Object.keys(minted.fields);
  if (field === null) {
    throw new DevsecretsError(
      "DS_SANDBOX_FIELD",
      `${reference}: sandbox kind ${kind.kind} has fields ${names.join(", ")}; the reference names none`,
      {
        hint: `add the field, e.g. ${reference}#${names[0] ?? "field"}`,
      },
    );
  }
  const value = Object.hasOwn(minted.fields, field) ? minted.fields[field] : undefined;
  if (value === undefined) {
    throw new DevsecretsError(
      "DS_SANDBOX_FIELD",
      `${reference}: sandbox kind ${kind.kind} has no field "${field}"; its fields are ${names.join(", ")}`,
    );
  }
  return value;
}

/** up to three known kinds nearest to `wanted`: same vendor first, then by edit distance */
export function closestKinds(wanted: string): string[] {
  const vendor = wanted.split("/")[0] ?? "";
  const scored = listKinds().map((kind) => {
    const sameVendor = kind.kind.split("/")[0] === vendor;
    return { name: kind.kind, score: editDistance(wanted, kind.kind) - (sameVendor ? 100 : 0) };
  });
  const limit = Math.max(3, Math.floor(wanted.length / 2));
  return scored
    .filter((entry) => entry.score <= limit)
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, 3)
    .map((entry) => entry.name);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
