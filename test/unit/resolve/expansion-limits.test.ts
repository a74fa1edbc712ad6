// The limits of daemon/resolve/expansion-limits.ts against the kernel itself: the largest value allowed is one execve
// accepts, one byte more is refused by both; expansion stops at the limit instead of building 2^n.

import test from "ava";
import { spawnSync } from "node:child_process";
import { expandVariables, type ExpandVariable } from "../../../daemon/resolve/expand.js";
import { MAX_ARG_STRLEN, valueLimit } from "../../../daemon/resolve/expansion-limits.js";
import { DevsecretsError } from "../../../common/errors.js";

const at = (text: string, expand = true): ExpandVariable => ({ text, expand, where: "devsecrets.env:1" });

function codeOf(fn: () => unknown): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    if (error instanceof DevsecretsError) return `${error.code} ${error.message}`;
    throw error;
  }
}

test("the largest value allowed passes execve, one byte more is refused by execve and by the limit", (t) => {
  const name = "BIG_VALUE";
  const limit = valueLimit(name);
  t.is(limit, MAX_ARG_STRLEN - name.length - 2);
  const fits = "x".repeat(limit);
  const spawned = spawnSync("/bin/true", [], { env: { [name]: fits } });
  t.is(spawned.error, undefined);
  t.is(spawned.status, 0);
  const over = spawnSync("/bin/true", [], { env: { [name]: `${fits}x` } });
  t.is((over.error as NodeJS.ErrnoException | undefined)?.code, "E2BIG");

  const half = "y".repeat(Math.floor(limit / 2));
  const exact = limit % 2 === 0 ? "" : "z";
  const ok = expandVariables(
    new Map([
      ["H", at(half)],
      [name, at(`\${H}\${H}${exact}`)],
    ]),
    {},
  );
  t.is(ok.get(name)?.length, limit);
  t.is(
    codeOf(() =>
      expandVariables(
        new Map([
          ["H", at(half)],
          [name, at(`\${H}\${H}${exact}!`)],
        ]),
        {},
      ),
    ),
    `DS_EXPANSION_LIMIT devsecrets.env:1: ${name} expands to more than ${limit} bytes, the most a child's environment accepts for it`,
  );
});

test("bytes count, not characters: a multi-byte value near the limit is refused", (t) => {
  const limit = valueLimit("E");
  const euro = "€".repeat(Math.floor(limit / 3) + 1); // 3 bytes each in UTF-8, one UTF-16 unit
  t.regex(codeOf(() => expandVariables(new Map([["E", at(euro, false)]]), {})) ?? "", /^DS_EXPANSION_LIMIT /);
});

test("a 40-level doubling chain stops at the limit in bounded time", (t) => {
  const vars = new Map<string, ExpandVariable>([["D0", at("ab")]]);
  for (let i = 1; i <= 40; i++) vars.set(`D${i}`, at(`\${D${i - 1}}\${D${i - 1}}\${D${i - 1}}`));
  const started = performance.now();
  t.regex(codeOf(() => expandVariables(vars, {})) ?? "", /^DS_EXPANSION_LIMIT devsecrets\.env:1: D11 /);
  t.log(`${(performance.now() - started).toFixed(1)} ms`);
});

test("a caller-kept value (no file:line) is not measured: it is not answered", (t) => {
  const big = "k".repeat(MAX_ARG_STRLEN);
  const result = expandVariables(new Map([["KEPT", { text: big, expand: false }]]), {});
  t.is(result.get("KEPT")?.length, MAX_ARG_STRLEN);
});
