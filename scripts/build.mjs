// The bundling step of `npm run build` (after tsc): esbuild bundles of the CLI entry points and the Node preloads.
// Rule: bundles sit in dist/bundle/cli/, two folders under dist/ like tsc's dist/cli/commands/, so import.meta.url paths still land;
// the run fast path may import node: built-ins only (checked here), the full CLI bundles commander and leaves other packages external.

import { spawnSync } from "node:child_process";
import { build } from "esbuild";
import { BUILTIN_EXPORTS, DEPRECATED_EXPORTS } from "./builtin-exports.mjs";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const outdir = join(root, "dist", "bundle", "cli");

/** the inputs of a build that come from packages (node_modules): a bundle that must leave packages external has none */
const packagesIn = (result) => Object.keys(result.metafile.inputs).filter((input) => input.includes("node_modules"));

/**
 * the licence texts (and NOTICE files) of every package a bundle holds, one section a package with its name, version
 * and licence field: what travels with a bundle in place of the packages' own folders
 */
function bundledLicenses(result, bundle) {
  const packages = new Set();
  for (const input of Object.keys(result.metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) packages.add(match[1]);
  }
  // one section a distinct text, naming every package that carries it (21 copies of the Apache licence become one)
  const byText = new Map();
  for (const dir of [...packages].sort()) {
    const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8"));
    const texts = readdirSync(join(root, dir))
      .filter((file) => /^(licen[cs]e|notice|copying)(\.|$)/i.test(file))
      .sort()
      .map((file) => readFileSync(join(root, dir, file), "utf8").trim());
    if (texts.length === 0) texts.push(`(no licence file in the package; its package.json says ${manifest.license})`);
    const text = texts.join("\n\n");
    byText.set(text, [...(byText.get(text) ?? []), `${manifest.name} ${manifest.version} (${manifest.license})`]);
  }
  const sections = [...byText].map(([text, names]) => `== ${names.join(", ")} ==\n\n${text}\n`);
  return `The packages bundled into ${bundle}, with their licences.\n\n${sections.join("\n")}`;
}
rmSync(outdir, { recursive: true, force: true });

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node22.14",
  outExtension: { ".js": ".mjs" },
  outdir,
  metafile: true,
  logLevel: "warning",
  legalComments: "none",
  // commander is CommonJS: its require() calls of node built-ins need a require in an ES module
  banner: {
    js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);',
  },
};

// CommonJS, so that bin/devsecrets.js (CommonJS by bin/package.json) loads it without starting the ESM loader
const runFast = await build({
  ...common,
  format: "cjs",
  entryPoints: { "run-fast": "cli/run-fast.ts" },
  outExtension: { ".js": ".cjs" },
  define: { "import.meta.url": "__importMetaUrl" },
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
});
const foreign = packagesIn(runFast);
if (foreign.length > 0) {
  console.error(`scripts/build.mjs: the run fast path must not load packages, but bundles ${foreign.join(", ")}`);
  process.exit(1);
}

const full = await build({
  ...common,
  entryPoints: { main: "cli/main.ts" },
  external: Object.keys(pkg.dependencies ?? {}).filter((name) => name !== "commander"),
});
// a package bundled here that is not a dependency is a second copy of a module the external packages import: the CLI's
// copy of @secretlint/profiler was silenced while @secretlint/core kept marking every rule run into its own, whose
// observer searches all its marks at each new one (52x gitleaks' time on 2,000 files)
const copied = [
  ...new Set(
    Object.keys(full.metafile.inputs)
      .filter((input) => input.includes("node_modules/") && !input.includes("node_modules/commander/"))
      .map((input) => input.replace(/^.*node_modules\/((?:@[^/]+\/)?[^/]+).*$/, "$1")),
  ),
];
if (copied.length > 0) {
  console.error(
    `scripts/build.mjs: the CLI bundle copies ${copied.join(", ")}; add each to package.json's dependencies`,
  );
  process.exit(1);
}

// Node built-ins reached through process.getBuiltinModule (Node >= 20.16) instead of `import "node:…"`: the ESM
// loader builds a facade of every export of each built-in it imports (node:fs alone ~1.7 ms), and esbuild hoists a
// lazily imported module's `import "node:…"` to the top of a bundle, so node:child_process (autostart only) loaded on
// every start. Each becomes a small ES module naming the built-in's plain exports (read here, at build time), so
// esbuild evaluates it where its importer first runs and copies no export object. The names come from the explicit list
// in scripts/builtin-exports.mjs, not from the Node running the build (a build on 22 read fs.F_OK, which warns on 24);
// getters (fs.promises, …) stay out of it: reading one loads another module. Importing an unlisted name fails the build.
for (const [specifier, names] of Object.entries(BUILTIN_EXPORTS)) {
  const refused = names.filter((name) => DEPRECATED_EXPORTS[specifier]?.includes(name));
  if (refused.length > 0) {
    console.error(
      `scripts/build.mjs: ${specifier} ${refused.join(", ")} is deprecated on a supported Node: import another export`,
    );
    process.exit(1);
  }
}
const builtinsByGetter = {
  name: "builtins-by-getter",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "builtin-getter" }));
    b.onLoad({ filter: /.*/, namespace: "builtin-getter" }, (args) => {
      const names = BUILTIN_EXPORTS[args.path];
      if (!names) {
        return {
          errors: [{ text: `${args.path} is not in scripts/builtin-exports.mjs: list the exports the bundles use` }],
        };
      }
      return {
        // one pure read an export, so esbuild keeps only the ones the bundle names (a destructuring of them all was
        // kept whole: ~4 KB of node:fs, node:util and node:events names in the preload, parsed on every start)
        contents: [
          `const m = process.getBuiltinModule(${JSON.stringify(args.path)});`,
          "export default m;",
          ...names.map((name) => `export const ${name} = /* @__PURE__ */ (() => m.${name})();`),
        ].join("\n"),
        loader: "js",
      };
    });
  },
};

// The Node preloads in place of tsc's output. Every ES module the loader resolves costs start-up time, and so does every
// byte V8 parses (~1.5 ms for 35 KB here): an app pays both before its first line. So each preload is one file,
// whitespace and syntax minified (names kept, for readable stack traces), and what only a missing pipe handle, a
// missing daemon or a later moment needs (node:net, autostart, the rotation subscription) is bundled apart, in the
// files the preloads import when they do; built-ins only, as the run path. The bundles share no classes: what crosses
// from one to another is data, or an error told by its name (isSocketUnreachable).
const shimDir = join(root, "dist", "shims", "node");
// each imported as written here (shims/node's two, and daemon/client/transport.ts's node:net transport), so every
// bundle that imports one of them shares the one file beside the preloads
const laterSources = {
  "fetch-after-start": "shims/node/fetch-after-start.ts",
  "follow-rotations": "shims/node/follow-rotations.ts",
  "socket-request": "daemon/client/socket-request.ts",
};
const later = Object.keys(laterSources).map((name) => `./${name}.js`);
const shim = {
  ...common,
  banner: {},
  outdir: undefined,
  outExtension: undefined,
  allowOverwrite: true,
  external: later,
  minifyWhitespace: true,
  minifySyntax: true,
};
const preload = await build({
  ...shim,
  plugins: [builtinsByGetter],
  entryPoints: ["shims/node/register.ts"],
  outfile: join(shimDir, "register.js"),
});
const preloadLater = await build({
  ...shim,
  plugins: [builtinsByGetter],
  entryPoints: laterSources,
  outdir: shimDir,
});
// the CommonJS preload (`-r devsecrets/register`, package.json's "require"): the same shared modules, as one CommonJS
// file; import.meta.url (its sync worker's and the CLI's paths) is the bundle's own file URL
const preloadCommonjs = await build({
  ...shim,
  format: "cjs",
  entryPoints: ["shims/node/register-commonjs.ts"],
  outfile: join(shimDir, "register.cjs"),
  define: { "import.meta.url": "__importMetaUrl" },
  banner: { js: 'const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
});
for (const [name, result] of [
  ["Node preload", preload],
  ["Node preload's later files", preloadLater],
  ["CommonJS preload", preloadCommonjs],
]) {
  const foreign = packagesIn(result);
  if (foreign.length > 0) {
    console.error(`scripts/build.mjs: the ${name} must not load packages, but bundles ${foreign.join(", ")}`);
    process.exit(1);
  }
}

// the dashboard's page (daemon/ui/page: plain TypeScript and one CSS file, no framework), served by the daemon from
// dist/daemon/ui/assets; built for browsers, minified, and held to 50 KB together (DESIGN "Dashboard")
const pageDir = join(root, "dist", "daemon", "ui", "assets");
rmSync(pageDir, { recursive: true, force: true });
const page = await build({
  absWorkingDir: root,
  bundle: true,
  platform: "browser",
  format: "esm",
  target: ["chrome120", "firefox120", "safari17"],
  entryPoints: [
    { in: "daemon/ui/page/main.ts", out: "app" },
    { in: "daemon/ui/page/style.css", out: "app" },
  ],
  outdir: pageDir,
  minify: true,
  metafile: true,
  logLevel: "warning",
  legalComments: "none",
});
const pageBytes = Object.values(page.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0);
const pageForeign = packagesIn(page);
if (pageBytes > 50 * 1024 || pageForeign.length > 0) {
  console.error(
    `scripts/build.mjs: the dashboard's page is ${pageBytes} bytes (at most 51200) with ${pageForeign.join(", ") || "no packages"}`,
  );
  process.exit(1);
}

// The daemon bundle reads built-ins as the preloads do, by getter: an ES import of node:http makes Node build the
// module's namespace, reading every lazy export on the way (http.WebSocket loads undici, with http2, tls and zlib:
// ~14 MiB resident in a daemon that uses none of them). Its names are the ones the daemon's sources import, found here,
// so the list cannot fall behind the code.
function namedBuiltinImports(dirs) {
  const names = {};
  const pattern = /import\s*\{([^}]*)\}\s*from\s*"(node:[^"]+)"/g;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) {
        for (const [, list, specifier] of readFileSync(path, "utf8").matchAll(pattern)) {
          for (const item of list.split(",")) {
            const name = item.trim().split(/\s+as\s+/)[0];
            if (!name || name.startsWith("type ")) continue;
            (names[specifier] ??= new Set()).add(name);
          }
        }
      }
    }
  };
  for (const dir of dirs) walk(join(root, dir));
  return names;
}
const daemonBuiltins = namedBuiltinImports(["daemon", "common"]);
const daemonBuiltinsByGetter = {
  name: "daemon-builtins-by-getter",
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: "daemon-builtin" }));
    b.onLoad({ filter: /.*/, namespace: "daemon-builtin" }, (args) => ({
      contents: [
        `const m = process.getBuiltinModule(${JSON.stringify(args.path)});`,
        "export default m;",
        // read when the daemon uses it, never all at load
        ...[...(daemonBuiltins[args.path] ?? [])].map(
          (name) => `export const ${name} = /* @__PURE__ */ (() => m.${name})();`,
        ),
      ].join("\n"),
      loader: "js",
    }));
  },
};

// the daemon's body (daemon/run-daemon.ts: the socket, the lock, then the core and the listener), loaded by
// dist/daemon/main.js after its start guard: one file instead of ~150 modules keeps the idle daemon ~5 MiB smaller and its cold start shorter (bench/daemon-edge).
// dist/bundle/daemon/ is two folders under dist/ like dist/daemon/ui/, so the import.meta.url lookups of the keychain
// helper and the dashboard's assets still land; express goes to a chunk of its own, loaded on the first request the
// resolve lane does not take; packages stay external, so no module of the bundle is a second copy of one of theirs
const daemonDir = join(root, "dist", "bundle", "daemon");
rmSync(daemonDir, { recursive: true, force: true });
// aws-sdk.ts (the AWS SDK's names the stores use) is the separate bundle below, imported by the chunk beside it
const awsSdkApart = {
  name: "aws-sdk-apart",
  setup(b) {
    b.onResolve({ filter: /\/aws-sdk\.js$/ }, (args) =>
      args.importer.endsWith(join("daemon", "providers", "stores", "aws-clients.ts"))
        ? { path: "./aws-sdk.mjs", external: true }
        : undefined,
    );
  },
};
const daemonBundle = await build({
  ...common,
  banner: {},
  outdir: daemonDir,
  splitting: true,
  entryPoints: { "run-daemon": "daemon/run-daemon.ts" },
  external: Object.keys(pkg.dependencies ?? {}),
  plugins: [awsSdkApart, daemonBuiltinsByGetter],
});
const daemonCopied = packagesIn(daemonBundle);
if (daemonCopied.length > 0) {
  console.error(
    `scripts/build.mjs: the daemon bundle must leave packages external, but bundles ${daemonCopied.join(", ")}`,
  );
  process.exit(1);
}
// the SDK's only way in is the dynamic import of the first AWS resolve: never a static import of any chunk, so neither
// the daemon's start nor a resolve without AWS references loads it (test/unit/aws-sdk-bundle.test.ts reads the chunks)
for (const [file, output] of Object.entries(daemonBundle.metafile.outputs)) {
  const eager = output.imports.filter(
    (imported) => imported.path === "./aws-sdk.mjs" && imported.kind !== "dynamic-import",
  );
  if (eager.length > 0) {
    console.error(
      `scripts/build.mjs: ${file} imports the AWS SDK bundle statically; only a dynamic import may load it`,
    );
    process.exit(1);
  }
}

// The AWS SDK clients (@aws-sdk/client-secrets-manager, client-ssm and what they pull in: @smithy/*, @aws-crypto/*,
// the credential providers) as one file: installed, their package tree was 22 MB in 25 packages of CommonJS and ES
// copies and type declarations, over DESIGN's 12 MB line; bundled they are devDependencies and this file is all an
// install carries. Whitespace and syntax minified, names kept (the stores read the SDK's error names). The licences of
// what it holds are written beside it (the SDK is Apache-2.0, which asks for its licence and notices to travel along).
const awsSdk = await build({
  ...common,
  outdir: undefined,
  outExtension: undefined,
  entryPoints: ["daemon/providers/stores/aws-sdk.ts"],
  outfile: join(daemonDir, "aws-sdk.mjs"),
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
});
writeFileSync(join(daemonDir, "aws-sdk.licenses.txt"), bundledLicenses(awsSdk, "dist/bundle/daemon/aws-sdk.mjs"));

// The files an installed package reaches by path (DESIGN and the launchers name dist/daemon/main.js; the keychain helper
// is forked, the CommonJS preload's worker and the public client `import "devsecrets"` are loaded by URL) become bundles
// in place of tsc's output, as the preloads do, so the tarball ships them and dist/bundle but none of tsc's module tree
// (package.json "files"; test/integration/package-install.test.ts installs it and uses each one). Packages stay
// external; a bundle that took one in would be a second copy of it.
const inPlace = [
  // the start guard first (esbuild keeps the import order); the modules' fallback only when the daemon bundle is absent
  // built-ins by getter, as in the daemon's bundle: daemonize's node:child_process is read only when it runs
  {
    entry: "daemon/main.ts",
    out: "dist/daemon/main.js",
    external: ["./run-daemon.js"],
    plugins: [daemonBuiltinsByGetter],
  },
  {
    entry: "daemon/session/stores/keychain-helper.ts",
    out: "dist/daemon/session/stores/keychain-helper.js",
    plugins: [daemonBuiltinsByGetter],
  },
  { entry: "daemon/client/index.ts", out: "dist/daemon/client/index.js" },
  // beside the preloads, sharing their later files (fetch-after-start.js, ...) as they do
  { entry: "shims/node/sync-worker.ts", out: "dist/shims/node/sync-worker.js", external: later },
];
for (const { entry, out, external = [], plugins = [] } of inPlace) {
  const result = await build({
    ...common,
    banner: {},
    outdir: undefined,
    outExtension: undefined,
    allowOverwrite: true,
    entryPoints: [entry],
    outfile: join(root, out),
    external: [...Object.keys(pkg.dependencies ?? {}), ...external],
    plugins,
  });
  const copied = packagesIn(result);
  if (copied.length > 0) {
    console.error(`scripts/build.mjs: ${out} must leave packages external, but bundles ${copied.join(", ")}`);
    process.exit(1);
  }
}

// the sources each bundle was built from, so bin/devsecrets.js can tell a stale bundle (a source edited since) in a
// checkout; the tarball leaves it out (an install has no sources), and bin/devsecrets.js then takes the bundle as it is
const sources = (result) => Object.keys(result.metafile.inputs).filter((input) => !input.includes("node_modules"));
writeFileSync(
  join(outdir, "inputs.json"),
  `${JSON.stringify({ "run-fast.cjs": sources(runFast), "main.mjs": sources(full) })}\n`,
);

// the native `run` launcher (shims/go/cmd/devsecrets-run), which bin/devsecrets prefers for `run`: Go starts in ~1 ms where
// Node takes ~50; without Go the launcher is absent and `run` stays on the Node path, same behaviour, slower start
const native = join(root, "dist", "native", "devsecrets-run");
rmSync(native, { force: true });
// POSIX only: the launcher speaks to a Unix socket and execs; bin/devsecrets is a sh script
const go =
  process.platform === "win32"
    ? { status: 0, skipped: true }
    : spawnSync("go", ["build", "-trimpath", "-ldflags=-s -w", "-o", native, "./cmd/devsecrets-run"], {
        cwd: join(root, "shims", "go"),
        stdio: ["ignore", "inherit", "inherit"],
      });
if (go.error?.code === "ENOENT") {
  console.error("scripts/build.mjs: go is not on PATH: no native launcher, `devsecrets run` takes the Node path");
} else if (go.status !== 0) {
  // a Go too old for go.mod (or a broken checkout): `run` takes the Node path; test/e2e/run-native.test.ts fails loudly
  console.error(
    "scripts/build.mjs: go build of shims/go/cmd/devsecrets-run failed (above): no native launcher, `devsecrets run` takes the Node path",
  );
}
