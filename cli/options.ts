// The CLI's options that a DEVSECRETS_* variable may set, and the one `--env` option every command shares.
// Rule: commander never reads the environment (it counts a variable as set by its mere presence); before a command
// runs, readOptionVariables reads each option's variable through common/environment.ts: the flag wins, then the
// variable in the dialect (a value outside it is DS_USAGE), then the default.

import { type Command, Help, Option } from "commander";
import { DevsecretsError } from "../common/errors.js";
import { DEFAULT_ENV, readString, refuseInvalid, type VariableName } from "../common/environment.js";
import { readFlag } from "../common/environment-dialect.js";

const VARIABLES = new WeakMap<Option, VariableName>();

/** marks `option` as set by the variable `name` when its flag is not given (and says so in --help) */
export function withVariable<T extends Option>(option: T, name: VariableName): T {
  VARIABLES.set(option, name);
  return option;
}

/** `--env <env>`: the overlay, DEVSECRETS_ENV, default DEFAULT_ENV */
export function envOption(description = "overlay devsecrets.<env>.env"): Option {
  return withVariable(new Option("--env <env>", description).default(DEFAULT_ENV), "DEVSECRETS_ENV");
}

/** fills the options of the command about to run from their variables (a preAction hook on the program) */
export function readOptionVariables(command: Command, env: NodeJS.ProcessEnv = process.env): void {
  for (const option of command.options) {
    const name = VARIABLES.get(option);
    if (!name) continue;
    const key = option.attributeName();
    if (command.getOptionValueSource(key) === "cli") continue;
    const value = option.required || option.optional ? textValue(option, name, env) : flagValue(option, name, env);
    if (value !== undefined) command.setOptionValueWithSource(key, value, "env");
  }
}

/** a flag's value: true, false, or undefined (unset: the option keeps its default); `--no-x` takes the opposite */
function flagValue(option: Option, name: VariableName, env: NodeJS.ProcessEnv): boolean | undefined {
  // not readBoolean, which answers the row's default: an unset variable leaves the option's own default alone
  const flag = readFlag(env, name, refuseInvalid);
  if (flag === undefined) return undefined;
  return option.negate ? !flag : flag;
}

function textValue(option: Option, name: VariableName, env: NodeJS.ProcessEnv): unknown {
  const text = readString(env, name);
  if (text === undefined) return undefined;
  if (option.argChoices && !option.argChoices.includes(text))
    throw new DevsecretsError("DS_USAGE", `${name}=${text} is not one of ${option.argChoices.join(", ")}`, {
      hint: `set ${name} to one of ${option.argChoices.join(", ")}, or unset it`,
    });
  return option.argChoices || !option.parseArg ? text : option.parseArg(text, undefined);
}

/** commander's help line for an option, with `env: NAME` for one a variable sets, as commander writes its own */
export function describeOption(this: Help, option: Option): string {
  const name = VARIABLES.get(option);
  // a copy that names the variable: the option itself never gets envVar, so commander never reads it
  const shown = name ? Object.assign(Object.create(option) as Option, { envVar: name }) : option;
  return Help.prototype.optionDescription.call(this, shown);
}
