// The variables that change how programs run: a project the user has not trusted never sets them.
// Rule: one table, a reason per row; `run`, `env`, direnv, the shims and `explain` all ask isDangerousName.

export interface DangerousName {
  /** an exact name, or a prefix ending in "*" */
  pattern: string;
  why: string;
}

export const DANGEROUS_NAMES: readonly DangerousName[] = [
  {
    pattern: "LD_*",
    why: "the dynamic loader preloads or searches libraries it names (LD_PRELOAD, LD_LIBRARY_PATH, LD_AUDIT)",
  },
  { pattern: "DYLD_*", why: "macOS's dynamic loader inserts libraries it names" },
  { pattern: "NODE_OPTIONS", why: "Node runs --require/--import modules it names in every node process" },
  { pattern: "NODE_PATH", why: "Node resolves modules from folders it names" },
  { pattern: "PYTHONSTARTUP", why: "interactive Python runs the file it names" },
  { pattern: "PYTHONPATH", why: "Python imports modules (sitecustomize, .pth) from folders it names" },
  { pattern: "PYTHONHOME", why: "Python loads its standard library from the folder it names" },
  { pattern: "PYTHONINSPECT", why: "Python drops into an interactive prompt after the script" },
  { pattern: "PERL5OPT", why: "perl takes command-line switches from it, -M modules included" },
  { pattern: "PERL5LIB", why: "perl loads modules from folders it names" },
  { pattern: "RUBYOPT", why: "ruby takes command-line switches from it, -r libraries included" },
  { pattern: "RUBYLIB", why: "ruby loads libraries from folders it names" },
  { pattern: "BASH_ENV", why: "non-interactive bash sources the file it names before running a script" },
  { pattern: "ENV", why: "sh and interactive POSIX shells source the file it names" },
  { pattern: "BASH_FUNC_*", why: "bash imports exported functions from such variables" },
  { pattern: "PROMPT_COMMAND", why: "interactive bash runs it before every prompt" },
  { pattern: "PS0", why: "interactive bash expands it, $(...) included, after reading each command" },
  { pattern: "PS1", why: "interactive shells expand the prompt, $(...) included" },
  { pattern: "PS2", why: "interactive shells expand the prompt, $(...) included" },
  { pattern: "PS3", why: "interactive shells expand the prompt, $(...) included" },
  { pattern: "PS4", why: "bash expands it, $(...) included, for every traced command" },
  { pattern: "IFS", why: "changes how shells split words, and so what scripts run" },
  { pattern: "PATH", why: "chooses which program runs for every command name" },
  { pattern: "SHELLOPTS", why: "turns on bash options (xtrace, ...) in every bash started" },
  { pattern: "GIT_*", why: "git runs commands it names (GIT_SSH_COMMAND, GIT_EDITOR, GIT_EXEC_PATH, GIT_CONFIG_*)" },
  { pattern: "SSH_ASKPASS", why: "ssh runs the program it names" },
  { pattern: "EDITOR", why: "many tools run the program it names" },
  { pattern: "VISUAL", why: "many tools run the program it names" },
  { pattern: "PAGER", why: "many tools run the program it names" },
  { pattern: "BROWSER", why: "many tools run the program it names" },
  { pattern: "JAVA_TOOL_OPTIONS", why: "every JVM takes options from it, -javaagent included" },
  { pattern: "_JAVA_OPTIONS", why: "every JVM takes options from it, -javaagent included" },
  { pattern: "DOTNET_STARTUP_HOOKS", why: ".NET loads the assemblies it names" },
  { pattern: "GOFLAGS", why: "go takes flags from it (-toolexec runs a program)" },
  { pattern: "NPM_CONFIG_*", why: "npm takes settings from it (script-shell, node-options, registry)" },
  { pattern: "DEVSECRETS_*", why: "devsecrets' own settings: a project must not steer where its values come from" },
];

/** the row that makes `name` dangerous, or undefined */
export function dangerousName(name: string): DangerousName | undefined {
  return DANGEROUS_NAMES.find((row) =>
    row.pattern.endsWith("*") ? name.startsWith(row.pattern.slice(0, -1)) : name === row.pattern,
  );
}
