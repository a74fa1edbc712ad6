// How a DEVSECRETS_* variable's text is read (DESIGN "DEVSECRETS_* dialect"): 1|true|yes|on, 0|false|no|off, and an
// empty value counts as unset. Rule: no imports, so the Node preloads read their few variables at no cost; the table of
// every variable (environment.ts) reads through these functions, and so does every reader that cannot afford the table.

type Env = Readonly<Record<string, string | undefined>>;

/** what a boolean variable must be, as every client's message names it (the Go shims' NotBoolean says the same) */
export const FLAG_WORDS = "a boolean (1|true|yes|on or 0|false|no|off)";

/**
 * What a reader does with a value outside the dialect: the CLI refuses it (refuseInvalid in environment.ts); a shim
 * or the daemon says so on one line and reads the variable as unset (sayIgnored, the default here)
 */
export type OnInvalid = (name: string, text: string, expected: string) => void;

/** true or false, undefined when unset or empty, null when the text is neither */
export function parseFlag(text: string | undefined): boolean | undefined | null {
  if (!text) return undefined;
  return /^(1|true|yes|on)$/.test(text) ? true : /^(0|false|no|off)$/.test(text) ? false : null;
}

/** a boolean variable: undefined when unset, empty or outside the dialect (after telling onInvalid) */
export function readFlag(env: Env, name: string, onInvalid: OnInvalid = sayIgnored): boolean | undefined {
  const flag = parseFlag(env[name]);
  if (flag === null) onInvalid(name, env[name] as string, FLAG_WORDS);
  return flag ?? undefined;
}

/** a text variable: undefined when unset or empty */
export function readText(env: Env, name: string): string | undefined {
  return env[name] || undefined;
}

const said = new Set<string>();

/** one `devsecrets:` line on stderr, once a process for each variable, and the variable read as unset */
export function sayIgnored(name: string, text: string, expected: string): void {
  if (said.has(name)) return;
  said.add(name);
  process.stderr.write(`devsecrets: ${name}=${text} is not ${expected}; ignored\n`);
}
