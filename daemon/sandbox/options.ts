// Parsing and validation of a sandbox reference's query (`?length=40&symbols=no`) against its kind.
// Rule: every refusal is DS_SANDBOX_OPTION naming the option, what is allowed and the kind.

import { DevsecretsError } from "../../common/errors.js";
import type { OptionSpec, OptionValues, SandboxKind } from "./sandbox-kind.js";

export function parseOptions(kind: SandboxKind, query: Readonly<Record<string, string>>): OptionValues {
  for (const name of Object.keys(query)) {
    if (!Object.hasOwn(kind.options, name)) throw unknownOption(kind, name);
  }
  const values: Record<string, string | number | string[] | undefined> = {};
  for (const [name, spec] of Object.entries(kind.options)) {
    const raw = Object.hasOwn(query, name)
      ? query[name]
      : spec.default === undefined
        ? undefined
        : String(spec.default);
    values[name] = raw === undefined ? undefined : parseOne(kind, name, spec, raw);
  }
  return Object.freeze(values);
}

function parseOne(kind: SandboxKind, name: string, spec: OptionSpec, raw: string): string | number | string[] {
  switch (spec.type) {
    case "int": {
      const value = /^[0-9]{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!(value >= spec.min && value <= spec.max))
        throw badValue(kind, name, `an integer from ${spec.min} to ${spec.max}`, raw);
      return value;
    }
    case "enum":
      if (!spec.values.includes(raw)) throw badValue(kind, name, `one of ${spec.values.join(", ")}`, raw);
      return raw;
    case "pattern":
      if (!spec.pattern.test(raw)) throw badValue(kind, name, `${spec.description}, like ${spec.example}`, raw);
      return raw;
    case "list": {
      const items = raw.split(",").map((item) => item.trim());
      const bad = items.find((item) => !spec.pattern.test(item));
      if (bad !== undefined)
        throw badValue(
          kind,
          name,
          `a comma-separated list of ${spec.description.replace(/^comma-separated /, "")}, like ${spec.example}`,
          bad,
        );
      return [...new Set(items)];
    }
  }
}

function badValue(kind: SandboxKind, name: string, allowed: string, raw: string): DevsecretsError {
  return new DevsecretsError(
    "DS_SANDBOX_OPTION",
    `option "${name}" of sandbox kind ${kind.kind} must be ${allowed} (got ${quote(raw)})`,
  );
}

function unknownOption(kind: SandboxKind, name: string): DevsecretsError {
  const known = Object.keys(kind.options);
  return new DevsecretsError("DS_SANDBOX_OPTION", `sandbox kind ${kind.kind} has no option ${quote(name)}`, {
    hint:
      known.length === 0
        ? `${kind.kind} takes no options; remove the query`
        : `its options are ${known.join(", ")}; \`devsecrets sandbox kinds\` describes them`,
  });
}

/** option values come from project files (not secrets), but are shortened so a paste cannot flood a message */
function quote(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
}
