// The exports of Node built-ins that the preload bundles may name, written out here so the build's output does not
// depend on the Node that runs it. scripts/build.mjs read them from the building Node before: a build on Node 22 listed
// fs.F_OK, a plain value there, a deprecated getter on Node 24 (DEP0176) and gone on 26.
// Rule: a name goes here only if it is a plain value on every Node the package supports (22.14+, 24, 26) and reading it
// warns on none; test/unit/builtin-exports.test.ts reads every name on the Node it runs on (CI: 22, 24, 26) under
// --throw-deprecation --pending-deprecation. A source that imports a name missing here fails the build ("No matching
// export"): add the name, and the test checks it. The fs stat/read names are for the socket-folder check.

/** built-in specifier → the export names the preload bundles may import from it */
export const BUILTIN_EXPORTS = {
  "node:child_process": ["execFileSync", "spawn"],
  "node:events": ["EventEmitter"],
  "node:fs": [
    "closeSync",
    "existsSync",
    "fstatSync",
    "lstatSync",
    "openSync",
    "readFileSync",
    "readSync",
    "realpathSync",
    "statSync",
    "writeSync",
  ],
  // koffi's loader (common/native-libc.ts), reached through DaemonClient in fetch-after-start.js; never called by a
  // preload (its DaemonClient checks no listener)
  "node:module": ["createRequire"],
  "node:net": ["connect"],
  "node:path": ["dirname", "join", "sep"],
  "node:url": ["fileURLToPath"],
  "node:util": ["getSystemErrorName"],
};

/**
 * Exports a supported Node warns about (DEP0176: fs's access constants on 24, gone on 26), never to be listed above;
 * the build refuses them by name, so the reason is in its error rather than in every app's stderr.
 */
export const DEPRECATED_EXPORTS = {
  "node:fs": ["F_OK", "R_OK", "W_OK", "X_OK"],
};
