// What the shell may complete after the words typed so far: commands and flags from the commander tree, an option's
// choices, the project's variable names (read from its files here) and the sandbox kinds of a daemon already running.
// Rule: never starts the daemon and never reads a value: names only, and a failure completes nothing rather than erring.

import type { Argument, Command, Option } from "commander";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseEnvFile } from "../../common/env-file-parser.js";
import { DaemonClient } from "../../daemon/client/client.js";

/** `words` are the words after `devsecrets` before the one being completed */
export async function completionCandidates(program: Command, words: readonly string[], cwd: string): Promise<string[]> {
  let command = program;
  let positional = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    // after `run --` the words are the child's: the shell's own file completion is better there
    if (word === "--") return [];
    if (word.startsWith("-")) {
      const option = findOption(command, word);
      if (option && (option.required || option.optional) && !word.includes("=")) {
        if (i === words.length - 1) return optionValues(option, cwd);
        i++;
      }
      continue;
    }
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub && positional === 0) command = sub;
    else positional++;
  }
  const argument = (command.registeredArguments as readonly Argument[])[positional];
  const values = argument ? await argumentValues(argument, cwd) : [];
  const flags = command.options.filter((o) => o.long && !o.hidden).map((o) => o.long as string);
  return [
    ...command.commands.filter((c) => !(c as { _hidden?: boolean })._hidden).map((c) => c.name()),
    ...values,
    ...flags,
    "--help",
  ];
}

function findOption(command: Command, word: string): Option | undefined {
  const flag = word.split("=")[0];
  for (let at: Command | null = command; at; at = at.parent)
    for (const option of at.options) if (option.long === flag || option.short === flag) return option;
  return undefined;
}

function optionValues(option: Option, cwd: string): string[] {
  if (option.argChoices) return [...option.argChoices];
  if (option.long === "--env") return overlays(cwd);
  return [];
}

async function argumentValues(argument: Argument, cwd: string): Promise<string[]> {
  if (argument.argChoices) return [...argument.argChoices];
  if (argument.name() === "name") return variableNames(cwd);
  if (argument.name() === "kind") return runningDaemonKinds();
  return [];
}

/** the folder holding devsecrets.env at or above cwd, as the daemon finds the project */
function projectRoot(cwd: string): string | null {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (statSync(join(dir, "devsecrets.env"), { throwIfNoEntry: false })?.isFile()) return dir;
    if (dirname(dir) === dir) return null;
  }
}

function projectFiles(cwd: string): { root: string; files: string[] } | null {
  const root = projectRoot(cwd);
  if (!root) return null;
  const files = readdirSync(root).filter((file) => /^devsecrets(\.[a-z0-9_-]+)?\.env$/.test(file));
  return { root, files };
}

/** the overlays the project has files for: devsecrets.<env>.env */
function overlays(cwd: string): string[] {
  const project = projectFiles(cwd);
  if (!project) return [];
  return project.files
    .map((file) => /^devsecrets\.([a-z0-9_-]+)\.env$/.exec(file)?.[1])
    .filter((env): env is string => env !== undefined && env !== "local");
}

/** every variable name the project's files define, read and parsed here (names only) */
function variableNames(cwd: string): string[] {
  const project = projectFiles(cwd);
  if (!project) return [];
  const names = new Set<string>();
  for (const file of project.files) {
    try {
      for (const entry of parseEnvFile(readFileSync(join(project.root, file), "utf8"), file)) names.add(entry.name);
    } catch {
      // a file with a syntax error completes nothing of its own
    }
  }
  return [...names].sort();
}

/** the kinds a running daemon offers; none when no daemon answers within a second (it is never started for this) */
async function runningDaemonKinds(): Promise<string[]> {
  try {
    const { kinds } = await new DaemonClient({ env: process.env, autostart: false, timeoutMs: 1_000 }).kinds();
    return kinds.map((k) => k.kind);
  } catch {
    return [];
  }
}
