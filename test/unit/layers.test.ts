// The house rules on dependencies (STYLE.md rule 1, DESIGN "Layout"), checked on the sources of every folder, and the
// daemon's composition root kept to wiring. Rule: each folder names what it may import; a new folder or a new edge
// must be added here on purpose.

import test from "ava";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, normalize, relative } from "node:path";
import { REPO_ROOT } from "../helpers/sandbox-env.js";

interface Layer {
  /** the folder (relative to the repo root) whose files the rule covers */
  folder: string;
  /** repo folders its files may import from (besides their own folder and node: built-ins) */
  mayImport: string[];
  /** npm packages its files may import; "*" for any */
  packages: string[] | "*";
}

const CLIENT_SIDE = ["daemon/client", "daemon/protocol", "common"];

/** the layers, most specific folder first: a file obeys the first rule whose folder holds it */
const LAYERS: Layer[] = [
  { folder: "daemon/protocol", mayImport: [], packages: [] },
  // the client and the shims' front door: built-ins only, so the preloads stay small
  { folder: "daemon/client", mayImport: ["daemon/protocol", "common"], packages: [] },
  { folder: "daemon/http", mayImport: ["daemon", "common"], packages: ["express"] },
  // the core: no HTTP framework, no CLI, no commander
  {
    folder: "daemon",
    mayImport: ["daemon", "common"],
    packages: [
      "@aws-sdk/client-secrets-manager",
      "@aws-sdk/client-ssm",
      "@napi-rs/keyring",
      "@scure/base",
      "jose",
      "koffi",
      "pg",
    ],
  },
  // koffi for peer credentials and libc calls (native-libc.ts, peer-credentials.ts), loaded by createRequire on first use
  { folder: "common", mayImport: ["daemon/protocol"], packages: ["koffi"] },
  { folder: "cli", mayImport: [...CLIENT_SIDE], packages: "*" },
  { folder: "shims/node", mayImport: [...CLIENT_SIDE], packages: [] },
];

function tsFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir))) {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) out.push(...tsFiles(root, path));
    else if (entry.endsWith(".ts")) out.push(path);
  }
  return out;
}

function importsOf(text: string): string[] {
  // `import x from "m"`, `export … from "m"`, bare `import "m"` and `import("m")`
  const pattern =
    /(?:^|\n)\s*(?:import|export)[^;]*?from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  return [...text.matchAll(pattern)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
}

const inFolder = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/** every import that breaks its file's layer, as "file -> import (why)" */
function layerViolations(root: string): string[] {
  const violations: string[] = [];
  for (const layer of LAYERS) {
    const files = tsFiles(root, layer.folder).filter((file) => LAYERS.find((l) => inFolder(file, l.folder)) === layer);
    for (const file of files) {
      for (const spec of importsOf(readFileSync(join(root, file), "utf8"))) {
        if (spec.startsWith("node:")) continue;
        if (spec.startsWith(".")) {
          const target = normalize(join(dirname(file), spec));
          const allowed = [layer.folder, ...layer.mayImport].some((folder) => inFolder(target, folder));
          if (!allowed)
            violations.push(
              `${file} -> ${spec} (${layer.folder}/ may import ${layer.mayImport.join(", ") || "nothing else"})`,
            );
          continue;
        }
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] as string);
        if (layer.packages !== "*" && !layer.packages.includes(name)) {
          violations.push(`${file} -> ${spec} (package not allowed in ${layer.folder}/)`);
        }
      }
    }
  }
  return violations;
}

test("every folder imports only what its layer allows", (t) => {
  t.deepEqual(layerViolations(REPO_ROOT), []);
});

test("the layer check catches a CLI file that imports a daemon internal, and passes once it is gone", (t) => {
  // a copy of the rule's world with one deliberate offence, so the check above is shown able to fail
  const root = mkdtempSync(join(tmpdir(), "ds-layers-"));
  try {
    for (const layer of LAYERS) mkdirSync(join(root, layer.folder), { recursive: true });
    writeFileSync(join(root, "cli/evil.ts"), 'import { Resolver } from "../daemon/resolve/resolver.js";\n');
    writeFileSync(join(root, "shims/node/ok.ts"), 'import { DaemonClient } from "../../daemon/client/client.js";\n');
    t.deepEqual(layerViolations(root), [
      "cli/evil.ts -> ../daemon/resolve/resolver.js (cli/ may import daemon/client, daemon/protocol, common)",
    ]);
    writeFileSync(join(root, "cli/evil.ts"), 'import { DevsecretsError } from "../common/errors.js";\n');
    t.deepEqual(layerViolations(root), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the layer check catches express outside daemon/http and commander in the core", (t) => {
  const root = mkdtempSync(join(tmpdir(), "ds-layers-"));
  try {
    for (const layer of LAYERS) mkdirSync(join(root, layer.folder), { recursive: true });
    mkdirSync(join(root, "daemon/resolve"), { recursive: true });
    writeFileSync(join(root, "daemon/resolve/web.ts"), 'import express from "express";\nimport "commander";\n');
    writeFileSync(join(root, "common/bad.ts"), 'import { x } from "../daemon/resolve/web.js";\n');
    t.deepEqual(layerViolations(root).sort(), [
      "common/bad.ts -> ../daemon/resolve/web.js (common/ may import daemon/protocol)",
      "daemon/resolve/web.ts -> commander (package not allowed in daemon/)",
      "daemon/resolve/web.ts -> express (package not allowed in daemon/)",
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("the core never calls process.exit: only process entry points end the process", (t) => {
  // entry points of their own processes: the daemon (and its first module), the CLI, the keychain helper child
  const allowed = new Set([
    "daemon/main.ts",
    "daemon/start/start-guard.ts",
    "cli/main.ts",
    "daemon/session/stores/keychain-helper.ts",
  ]);
  const files = ["common", "daemon", "cli"].flatMap((folder) => tsFiles(REPO_ROOT, folder));
  const offenders = files.filter(
    (f) => !allowed.has(f) && /process\.exit\(/.test(readFileSync(join(REPO_ROOT, f), "utf8")),
  );
  t.deepEqual(offenders, []);
});

test("every folder of TypeScript sources is covered by a layer", (t) => {
  const roots = ["common", "daemon", "cli", "shims/node"];
  const uncovered = roots
    .flatMap((folder) => tsFiles(REPO_ROOT, folder))
    .filter((file) => !LAYERS.some((layer) => inFolder(file, layer.folder)))
    .map((file) => relative(REPO_ROOT, join(REPO_ROOT, file)));
  t.deepEqual(uncovered, []);
});

/**
 * the steps in a composition root's text: control flow, awaits and function bodies in braces. Constructions,
 * registrations and one-expression arrows (`() => holder.current.id`) are wiring; anything more is a step, whose
 * home is the module that owns it (docs/architecture.md, "Entry files only wire")
 */
function stepsIn(source: string): string[] {
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""')
    .replace(/\/\/.*$/gm, "");
  const steps: string[] = [];
  code.split("\n").forEach((line, i) => {
    const keyword = /\b(if|else|for|while|do|switch|try|catch|await|async)\b/.exec(line);
    if (keyword) steps.push(`line ${i + 1}: ${keyword[1]}`);
    if (/=>\s*\{/.test(line)) steps.push(`line ${i + 1}: a function body`);
    // a method written in the returned object (`name(request) {`), not the root's own `export function`
    const method = /^\s+(?:async\s+)?([A-Za-z_$][\w$]*)\s*\([^()]*\)\s*(?::[^{]*)?\{\s*$/.exec(line);
    if (method && !/\bfunction\b/.test(line) && !/^(if|for|while|switch|catch)$/.test(method[1] ?? "")) {
      steps.push(`line ${i + 1}: a method body`);
    }
  });
  return steps;
}

test("the daemon's composition root only wires: no control flow, no await, no function body of its own", (t) => {
  t.deepEqual(stepsIn(readFileSync(join(REPO_ROOT, "daemon/daemon-core.ts"), "utf8")), []);
});

test("the wiring check catches a step written in the composition root, and passes once it moved out", (t) => {
  const inline = [
    "export function createDaemonCore(options: CoreOptions): DaemonCore {",
    "  const audit = new AuditLog(join(stateDir(env), 'audit.jsonl'));",
    "  return {",
    "    async login(request, caller = {}) {",
    "      const answer = await manager.login(request);",
    "      if (answer) audit.append([loginEntry(answer, caller)]);",
    "      return answer;",
    "    },",
    "    logout: async (caller) => {",
    "      return sessions.logout(caller); // if a comment says if, it is no step",
    "    },",
    "  };",
    "}",
  ].join("\n");
  t.deepEqual(stepsIn(inline), [
    "line 4: async",
    "line 4: a method body",
    "line 5: await",
    "line 6: if",
    "line 9: async",
    "line 9: a function body",
  ]);
  const wired = inline.replace(
    / {4}async login[\s\S]*? {4}\},\n {4}logout[\s\S]*? {4}\},/,
    "    login: sessions.login,",
  );
  t.deepEqual(stepsIn(wired), []);
});
