// scripts/builtin-exports.mjs, the built-ins' exports the preload bundles may name, checked on the Node running the
// suite (CI runs the unit suite on 22, 24 and 26, so every supported Node checks it).
// Rule: every listed name is a plain value here and reading all of them warns nothing, even under
// --throw-deprecation --pending-deprecation; none is in the deprecated list.

import test from "ava";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT, runProcess } from "../helpers/sandbox-env.js";

const LIST = join(REPO_ROOT, "scripts", "builtin-exports.mjs");
const { BUILTIN_EXPORTS, DEPRECATED_EXPORTS } = (await import(pathToFileURL(LIST).href)) as {
  BUILTIN_EXPORTS: Record<string, string[]>;
  DEPRECATED_EXPORTS: Record<string, string[]>;
};

test(`Node ${process.version}: every listed export is a plain value (no getter that loads or warns)`, (t) => {
  for (const [specifier, names] of Object.entries(BUILTIN_EXPORTS)) {
    const module = process.getBuiltinModule(specifier) as Record<string, unknown>;
    for (const name of names) {
      const descriptor = Object.getOwnPropertyDescriptor(module, name);
      t.true(descriptor !== undefined && "value" in descriptor, `${specifier} ${name} is not a plain value here`);
    }
  }
});

test(`Node ${process.version}: reading every listed export warns nothing under --throw-deprecation --pending-deprecation`, async (t) => {
  const reads = Object.entries(BUILTIN_EXPORTS).flatMap(([specifier, names]) =>
    names.map((name) => `process.getBuiltinModule(${JSON.stringify(specifier)})[${JSON.stringify(name)}];`),
  );
  const script = `process.on("warning", (w) => { console.error(w.name, w.code, w.message); process.exitCode = 3; });\n${reads.join("\n")}`;
  const result = await runProcess(process.execPath, ["--throw-deprecation", "--pending-deprecation", "-e", script], {
    env: { PATH: process.env.PATH ?? "" },
  });
  t.is(result.stderr, "");
  t.is(result.code, 0);
});

test("a deprecated export is never listed (the build refuses it too)", (t) => {
  for (const [specifier, names] of Object.entries(BUILTIN_EXPORTS)) {
    const listed = names.filter((name) => DEPRECATED_EXPORTS[specifier]?.includes(name));
    t.deepEqual(listed, [], `${specifier}: ${listed.join(", ")}`);
  }
});

// why the list is written out: Node 22 offers fs.F_OK as a plain value, so a build that read the building Node's exports
// took it; 24 makes it a warning getter and 26 drops it
test(`Node ${process.version}: each deprecated name is absent or warns when read (a plain value before 24)`, async (t) => {
  const major = Number(process.versions.node.split(".")[0]);
  for (const [specifier, names] of Object.entries(DEPRECATED_EXPORTS)) {
    for (const name of names) {
      const read = `process.getBuiltinModule(${JSON.stringify(specifier)})[${JSON.stringify(name)}]`;
      const result = await runProcess(process.execPath, ["-p", `typeof ${read}`], {
        env: { PATH: process.env.PATH ?? "" },
      });
      if (major < 24) t.is(result.stdout.trim(), "number", `${specifier} ${name}`);
      else t.true(result.stdout.trim() === "undefined" || /DEP0176/.test(result.stderr), `${specifier} ${name}`);
    }
  }
});
