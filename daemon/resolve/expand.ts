// Expands ${VAR} between a project's variables after resolution, whatever their order in the file.
// Rule: text is data: a substituted value is final, $(...) and backticks stay text, a cycle is an error.

import { DevsecretsError } from "../../common/errors.js";
import { ValueBudget, valueLimit, valueTooLong } from "./expansion-limits.js";

/** expand=false: a resolved reference value, a single-quoted literal, or a caller-kept value: used verbatim */
export interface ExpandVariable {
  text: string;
  expand: boolean;
  /** file:line of a value that is answered, measured against the limits; absent for a caller-kept value */
  where?: string;
}

// `-` and `+` act as `:-` and `:+` (an empty value counts as unset), as in dotenv-expand 12; POSIX
// tells them apart, but a file must mean the same under dotenv-expand and under devsecrets.
type Op = "" | ":-" | "-" | ":+" | "+";
/** postfix program: a literal (key null) pushes its text; a variable pops `parts` values (its default) and pushes one */
interface Step {
  key: string | null;
  text: string;
  op: Op;
  parts: number;
}
interface Brace {
  close: number;
  keyEnd: number;
  op: Op;
}

const MAX_CYCLE_NAMES = 12;

function opAt(text: string, i: number): Op {
  const c = text[i];
  if (c === ":" && (text[i + 1] === "-" || text[i + 1] === "+")) return text[i + 1] === "-" ? ":-" : ":+";
  return c === "-" || c === "+" ? c : "";
}

function isNameChar(code: number, first: boolean): boolean {
  const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
  return letter || (!first && code >= 48 && code <= 57);
}

/**
 * Finds every `${...}` that dotenv-expand's `\${([^{}]+)}`, applied innermost first, would expand.
 * dotenv-expand gets nested defaults (`${A:-${B}}`) only as a side effect of re-scanning its output; we
 * parse them instead, so they work without re-scanning values. Any other '{' (or a `${` inside a name,
 * dotenv-expand's accidental `${${B}}` indirection) leaves the enclosing `${` as plain text. One pass
 * with a stack, so nesting depth costs nothing.
 */
function findBraces(text: string): Map<number, Brace> {
  const found = new Map<number, Brace>();
  const open: { start: number; keyEnd: number; op: Op }[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = open[open.length - 1];
    if (c === "\\" && text[i + 1] === "$") {
      i++;
    } else if (c === "$" && text[i + 1] === "{") {
      if (top !== undefined && top.keyEnd < 0) open.length = 0;
      open.push({ start: i, keyEnd: -1, op: "" });
      i++;
    } else if (c === "{") {
      open.length = 0;
    } else if (c === "}") {
      if (top === undefined) continue;
      open.pop();
      if (i === top.start + 2) open.length = 0;
      else found.set(top.start, { close: i, keyEnd: top.keyEnd < 0 ? i : top.keyEnd, op: top.op });
    } else if (top !== undefined && top.keyEnd < 0) {
      const op = opAt(text, i);
      if (op !== "") {
        top.keyEnd = i;
        top.op = op;
        i += op.length - 1;
      }
    }
  }
  return found;
}

function compile(text: string): Step[] {
  if (!text.includes("$")) return text === "" ? [] : [{ key: null, text, op: "", parts: 0 }];
  const braces = findBraces(text);
  const steps: Step[] = [];
  const frames: { close: number; key: string; op: Op }[] = [];
  const counts = [0];
  let lit = "";
  const push = (step: Step): void => {
    steps.push(step);
    counts[counts.length - 1]! += 1;
  };
  const flush = (): void => {
    if (lit !== "") push({ key: null, text: lit, op: "", parts: 0 });
    lit = "";
  };
  let i = 0;
  while (i < text.length) {
    const frame = frames[frames.length - 1];
    if (frame !== undefined && i === frame.close) {
      flush();
      frames.pop();
      const parts = counts.pop() ?? 0;
      push({ key: frame.key, text: "", op: frame.op, parts });
      i++;
      continue;
    }
    const c = text[i] as string;
    if (c === "\\" && text[i + 1] === "$") {
      lit += "$";
      i += 2;
      continue;
    }
    if (c === "$") {
      const brace = braces.get(i);
      if (brace !== undefined) {
        flush();
        const key = text.slice(i + 2, brace.keyEnd);
        if (brace.op === "") {
          push({ key, text: "", op: "", parts: 0 });
          i = brace.close + 1;
        } else {
          frames.push({ close: brace.close, key, op: brace.op });
          counts.push(0);
          i = brace.keyEnd + brace.op.length;
        }
        continue;
      }
      let j = i + 1;
      if (isNameChar(text.charCodeAt(j), true)) {
        while (isNameChar(text.charCodeAt(j), false)) j++;
        flush();
        push({ key: text.slice(i + 1, j), text: "", op: "", parts: 0 });
        i = j;
        continue;
      }
    }
    lit += c;
    i++;
  }
  flush();
  return steps;
}

/**
 * Runs a compiled value; stops with `tooLong` as soon as the text on the stack passes `limit` UTF-16 units (a lower
 * bound of its UTF-8 bytes), so a chain of doublings costs at most the limit, never the 2^n it would build.
 */
function run(
  steps: readonly Step[],
  lookup: (key: string) => string | undefined,
  limit: number,
  tooLong: () => never,
): string {
  const stack: string[] = [];
  let units = 0;
  for (const step of steps) {
    if (step.key === null) {
      stack.push(step.text);
      units += step.text.length;
      if (units > limit) tooLong();
      continue;
    }
    const other = step.parts > 0 ? stack.splice(stack.length - step.parts).join("") : "";
    units -= other.length;
    const value = lookup(step.key);
    const pushed =
      step.op === "" ? (value ?? "") : step.op === ":-" || step.op === "-" ? value || other : value ? other : "";
    stack.push(pushed);
    units += pushed.length;
    if (units > limit) tooLong();
  }
  return stack.join("");
}

function cycleError(path: readonly string[]): DevsecretsError {
  const shown =
    path.length <= MAX_CYCLE_NAMES
      ? path
      : [
          ...path.slice(0, MAX_CYCLE_NAMES - 2),
          `... (${path.length - MAX_CYCLE_NAMES + 1} more)`,
          path[path.length - 1] as string,
        ];
  return new DevsecretsError("DS_REF_CYCLE", `variables refer to each other in a cycle: ${shown.join(" -> ")}`);
}

/**
 * expands ${VAR}, $VAR, ${VAR:-default}, ${VAR-default}, ${VAR:+alt}, ${VAR+alt} and the \$ escape;
 * project variables first, then `environ`; returns name -> final value, in the order of `vars`.
 * Every mention counts as an edge, even in a default that is not needed, so whether a file has a
 * cycle does not depend on the caller's environment.
 */
export function expandVariables(
  vars: ReadonlyMap<string, ExpandVariable>,
  environ: Readonly<Record<string, string>>,
): Map<string, string> {
  const programs = new Map<string, Step[]>();
  const deps = new Map<string, string[]>();
  for (const [name, variable] of vars) {
    if (!variable.expand) continue;
    const steps = compile(variable.text);
    programs.set(name, steps);
    const keys = new Set<string>();
    for (const step of steps) if (step.key !== null && vars.has(step.key)) keys.add(step.key);
    deps.set(name, [...keys]);
  }
  const done = new Map<string, string>();
  const budget = new ValueBudget();
  const none: string[] = [];
  const lookup = (key: string): string | undefined =>
    vars.has(key) ? done.get(key) : Object.hasOwn(environ, key) ? environ[key] : undefined;

  // depth-first with an explicit stack: a 10,000-long chain must not overflow the call stack
  const active = new Set<string>();
  for (const root of vars.keys()) {
    if (done.has(root)) continue;
    const stack = [{ name: root, next: 0 }];
    active.add(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const needs = deps.get(top.name) ?? none;
      if (top.next < needs.length) {
        const dep = needs[top.next++] as string;
        if (done.has(dep)) continue;
        if (active.has(dep)) {
          const names = stack.map((frame) => frame.name);
          throw cycleError([...names.slice(names.indexOf(dep)), dep]);
        }
        active.add(dep);
        stack.push({ name: dep, next: 0 });
        continue;
      }
      const steps = programs.get(top.name);
      const variable = vars.get(top.name) as ExpandVariable;
      // a caller-kept value is not answered: it is neither measured nor bounded (it is at most the request's size)
      const where = variable.where;
      const limit = where === undefined ? Number.POSITIVE_INFINITY : valueLimit(top.name);
      const value =
        steps === undefined
          ? variable.text
          : run(steps, lookup, limit, () => {
              throw valueTooLong(top.name, where ?? "");
            });
      if (where !== undefined) budget.measure(top.name, value, where);
      done.set(top.name, value);
      active.delete(top.name);
      stack.pop();
    }
  }
  return new Map([...vars.keys()].map((name) => [name, done.get(name) ?? ""]));
}
