// Prints resolved variables for a shell or a file: sh, fish, dotenv, json.
// Rule: quoting survives `eval` of any byte but NUL, and `. file` of the dotenv form runs nothing; names are identifiers.

import { DevsecretsError } from "../../common/errors.js";

const SHELL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** what a POSIX sh still interprets inside double quotes */
const SH_DOUBLE_QUOTE_ACTIVE = /[$`\\"]/;

export const FORMATS = ["sh", "fish", "dotenv", "json"] as const;
export type EnvFormat = (typeof FORMATS)[number];

/** POSIX sh: single quotes keep every byte literal; a quote is closed, escaped and reopened */
export function quoteSh(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** fish: inside single quotes only backslash and quote are special */
export function quoteFish(value: string): string {
  return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/**
 * dotenv, written so that dotenv readers get the value back and a POSIX sh sourcing the file runs nothing: single
 * quotes are literal in both; a value with a single quote goes in double quotes only when sh would leave it as it is
 * there. Backticks, which dotenv reads literally, are never used: sh runs what they hold.
 */
export function quoteDotenv(name: string, value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!SH_DOUBLE_QUOTE_ACTIVE.test(value) && !/[\r\n]/.test(value)) return `"${value}"`;
  throw new DevsecretsError(
    "DS_FORMAT_UNSAFE",
    `${name}'s value holds both a single quote and characters a shell expands in double quotes: no dotenv quoting of it is safe to source`,
  );
}

function checkShellName(name: string): string {
  if (SHELL_NAME.test(name)) return name;
  throw new DevsecretsError(
    "DS_FORMAT_UNSAFE",
    `"${name.slice(0, 64)}" is not a shell variable name (letters, digits and '_', not first a digit): refusing to print it for a shell`,
  );
}

export function formatEnv(variables: Readonly<Record<string, string>>, format: EnvFormat): string {
  const names = Object.keys(variables).sort();
  switch (format) {
    case "json":
      return `${JSON.stringify(Object.fromEntries(names.map((n) => [n, variables[n]])), null, 2)}\n`;
    case "sh":
      return names.map((n) => `export ${checkShellName(n)}=${quoteSh(variables[n] as string)}\n`).join("");
    case "fish":
      return names.map((n) => `set -gx ${checkShellName(n)} ${quoteFish(variables[n] as string)};\n`).join("");
    case "dotenv":
      return names.map((n) => `${checkShellName(n)}=${quoteDotenv(n, variables[n] as string)}\n`).join("");
  }
}
