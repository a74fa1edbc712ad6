// Prints resolved variables for a shell or a file: sh, fish, dotenv, json.
// Rule: quoting survives `eval` of any byte but NUL; nothing is ever expanded by the reader.

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

/** dotenv: single or backtick quotes are literal in dotenv and devsecrets; double quotes only as a last resort */
export function quoteDotenv(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes("`")) return `\`${value}\``;
  return `"${value.replaceAll("\n", "\\n").replaceAll("\r", "\\r").replaceAll('"', '\\"')}"`;
}

export function formatEnv(variables: Readonly<Record<string, string>>, format: EnvFormat): string {
  const names = Object.keys(variables).sort();
  switch (format) {
    case "json":
      return `${JSON.stringify(Object.fromEntries(names.map((n) => [n, variables[n]])), null, 2)}\n`;
    case "sh":
      return names.map((n) => `export ${n}=${quoteSh(variables[n] as string)}\n`).join("");
    case "fish":
      return names.map((n) => `set -gx ${n} ${quoteFish(variables[n] as string)};\n`).join("");
    case "dotenv":
      return names.map((n) => `${n}=${quoteDotenv(variables[n] as string)}\n`).join("");
  }
}
