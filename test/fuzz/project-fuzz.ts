// A structure-aware fuzzer of what a user's files and a client's requests can hand the daemon: project files (references
// of every scheme, valid and malformed, expansion chains, quotes, overlays, odd files), project settings
// (devsecrets.json) and the requests that load them. Rule: every answer is a 2xx or a DS_ code other than DS_INTERNAL,
// and no error ever holds a value: every literal and caller value carries a canary that no error may show.

import fc from "fast-check";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { execFileSync } from "node:child_process";
import { socketRequest, type SocketResponse } from "../../daemon/client/socket-request.js";
import { crashIn } from "./route-fuzz.js";

/** in every literal value and every caller value; an error or a log line that shows it leaked a value */
export const VALUE_CANARY = "qzvalue";

export type OddFile = "loop" | "devnull" | "devzero" | "procmem" | "folder" | "fifo";

export interface ProjectCase {
  /** file name -> text */
  files: Record<string, string>;
  /** overlay files that are something other than a text file */
  odd: Partial<Record<string, OddFile>>;
  /** the user's settings ($XDG_CONFIG_HOME/devsecrets/config.json): text, an odd file, or none */
  userConfig: string | OddFile | null;
  requests: FuzzRequest[];
}

export interface FuzzRequest {
  path: "/v1/resolve" | "/v1/check" | "/v1/list" | "/v1/trust/show" | "/v1/trust";
  env?: string;
  environ?: Record<string, string>;
  names?: string[];
  override?: boolean;
  /** cwd below the project: "" for its root, else a relative path (which may not exist) */
  below: string;
}

const ENVS = ["dev", "prod", "staging"] as const;
const NAMES = [
  "A",
  "B",
  "C",
  "D",
  "TOKEN",
  "DB_URL",
  "PATH",
  "HOME",
  "NODE_OPTIONS",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "DEVSECRETS_SOCKET",
  "X".repeat(200),
];
/** sandbox kinds that start a service (a server process per session): out of the fuzzer's reach on purpose */
const SERVICE_KINDS = /^(postgres|redis|aws\/endpoint|stripe\/api-base)/;

const name = fc.constantFrom(...NAMES);
const canary = fc.nat({ max: 9999 }).map((n) => `${VALUE_CANARY}${n}`);
const junk = fc.string({ unit: "binary", maxLength: 12 });
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-zA-Z0-9 _./:@-]{0,12}$/) },
  fc.constantFrom(
    "$",
    "${",
    "}",
    "{",
    "\\$",
    "\\",
    "$(id)",
    "`id`",
    "#",
    " #",
    "'",
    '"',
    "`",
    "\\n",
    "é",
    "\u0000",
    "\r",
  ),
  junk,
);

/** a literal with uses of other variables, defaults and escapes, always holding the canary */
const literal = fc
  .tuple(
    canary,
    fc.array(
      fc.oneof(
        piece,
        name.map((n) => `\${${n}}`),
        name.map((n) => `$${n}`),
        fc.tuple(name, fc.constantFrom(":-", "-", ":+", "+"), piece).map(([n, op, d]) => `\${${n}${op}${d}}`),
        fc.tuple(name, name).map(([a, b]) => `\${${a}:-\${${b}}}`),
      ),
      { maxLength: 6 },
    ),
  )
  .map(([mark, parts]) => `${mark}${parts.join("")}`);

function referenceArbitrary(kinds: readonly string[]): fc.Arbitrary<string> {
  const safeKinds = kinds.filter((kind) => !SERVICE_KINDS.test(kind));
  const query = fc.oneof(
    fc.constant(""),
    fc.constantFrom(
      "?length=24",
      "?length=0",
      "?length=99999999",
      "?version=2",
      "?sandbox=stripe/secret-key",
      "?a=1&a=2",
    ),
    junk.map((j) => `?${j}`),
  );
  const field = fc.oneof(
    fc.constant(""),
    fc.constantFrom("#key", "#id", "#secret", "#", "#%zz"),
    junk.map((j) => `#${j}`),
  );
  const kind = fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...safeKinds) },
    fc.constantFrom(...safeKinds).map((k) => `${k}x`),
    fc.constantFrom("", "nope", "random", "..", "stripe/", "/", "%00"),
    junk.filter((j) => !SERVICE_KINDS.test(j)),
  );
  return fc.oneof(
    fc.tuple(kind, query, field).map(([k, q, f]) => `sandbox://${k}${q}${f}`),
    fc
      .tuple(
        fc.constantFrom("secret/app", "kv/data/x", "onlymount", "", "secret/", "a//b", "secret/%2e%2e/x"),
        query,
        field,
      )
      .map(([p, q, f]) => `vault://${p}${q}${f}`),
    fc
      .tuple(fc.constantFrom("db-password", "", "../x", "a/b", "é", "x".repeat(300)), query, field)
      .map(([p, q, f]) => `keychain://${p}${q}${f}`),
    fc.tuple(fc.oneof(name, fc.constantFrom("", "FROM_ME", "UNSET", "1BAD")), field).map(([p, f]) => `env://${p}${f}`),
    fc.constantFrom("aws-sm://x", "sops://x", "file:///etc/passwd", "http://127.0.0.1:9/", "sandbox:/x", "SANDBOX://x"),
  );
}

/** one line of a project file: a definition of some kind, a comment, or something that is not a line at all */
function lineArbitrary(kinds: readonly string[]): fc.Arbitrary<string> {
  const reference = referenceArbitrary(kinds);
  const value = fc.oneof(
    { weight: 3, arbitrary: reference },
    { weight: 3, arbitrary: literal },
    literal.map((v) => `'${v}'`),
    literal.map((v) => `"${v}"`),
    literal.map((v) => `\`${v}\``),
    reference.map((r) => `"${r}"`),
    literal.map((v) => `"${v}`),
    literal.map((v) => `"${v}\nmore ${VALUE_CANARY}"`),
    literal.map((v) => `'${v}' trailing`),
  );
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.tuple(fc.constantFrom("", "export ", "  "), name, value).map(([p, n, v]) => `${p}${n}=${v}`),
    },
    fc.constantFrom("", "# a comment", "   ", "=novalue", "NOEQUALS", "1BAD=x", "A.B=x", "export =x"),
    junk.map((j) => `${j}=${VALUE_CANARY}`),
  );
}

/** a chain of doublings: NAME0=text, NAME1=${NAME0}${NAME0}, … (the issue's 4 GB heap) */
const chain = fc
  .tuple(fc.constantFrom("CH", "A", "B"), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 2, max: 4 }), canary)
  .map(([prefix, depth, width, mark]) => {
    const lines = [`${prefix}0=${mark}${"x".repeat(20)}`];
    for (let i = 1; i <= depth; i++) lines.push(`${prefix}${i}=${`\${${prefix}${i - 1}}`.repeat(width)}`);
    return lines.join("\n");
  });

function fileArbitrary(kinds: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.array(lineArbitrary(kinds), { maxLength: 14 }),
      fc.option(chain, { freq: 6 }),
      fc.constantFrom("\n", "\r\n", "\r"),
      fc.boolean(),
    )
    .map(([lines, doubling, eol, bom]) => {
      const text = [...lines, ...(doubling === null ? [] : [doubling])].join(eol);
      return `${bom ? "\ufeff" : ""}${text}${eol}`;
    });
}

/** project settings: devsecrets.json, valid in shape or not, never pointing anywhere but a closed loopback port */
const settings = fc.oneof(
  fc.constant(null),
  fc.constantFrom(
    "{}",
    "not json",
    "[]",
    "null",
    '{"postgres":{"adminUrl":"postgres://admin@127.0.0.1:9/postgres"}}',
    '{"vault":{"address":"http://127.0.0.1:9"}}',
    '{"vault":{"address":"http://127.0.0.1:9","caCert":"/dev/urandom"}}',
    '{"__proto__":{"polluted":true}}',
    `{"deep":${"[".repeat(5000)}${"]".repeat(5000)}}`,
  ),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
);

/** the user's settings, which the daemon reads on every resolve (production paths) and mint (the PostgreSQL admin URL) */
const userConfig = fc.oneof(
  { weight: 6, arbitrary: fc.constant(null) },
  fc.constantFrom(
    "{}",
    "not json",
    '{"production":["vault://secret/prod/**","aws-sm://prod/**"]}',
    '{"production":["sandbox://**"]}',
    '{"production":"vault://x"}',
    '{"production":[1,null,{}]}',
    `{"production":[${Array.from({ length: 2000 }, (_, i) => `"vault://p${i}/**/*"`).join(",")}]}`,
    '{"postgres":{"adminUrl":"postgres://admin@127.0.0.1:9/postgres"}}',
    '{"vault":{"address":"http://127.0.0.1:9","caCert":"/dev/urandom"}}',
  ),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ production: v })),
  fc.constantFrom<OddFile>("loop", "devzero", "fifo", "folder"),
);

const environ = fc.dictionary(
  fc.oneof(name, fc.constantFrom("FROM_ME", "UNSET")),
  fc.oneof(
    canary,
    canary.map((c) => `${c}\u0000tail`),
    canary.map((c) => `${c}${"e".repeat(2000)}`),
  ),
  { maxKeys: 5 },
);

function requestArbitrary(): fc.Arbitrary<FuzzRequest> {
  return fc.record(
    {
      path: fc.constantFrom(
        "/v1/resolve",
        "/v1/resolve",
        "/v1/resolve",
        "/v1/check",
        "/v1/list",
        "/v1/trust/show",
        "/v1/trust",
      ),
      env: fc.constantFrom(...ENVS),
      environ,
      names: fc.array(name, { maxLength: 3 }),
      override: fc.boolean(),
      below: fc.constantFrom("", "", "", "sub", "missing/deeper", "d".repeat(300)),
    },
    { requiredKeys: ["path", "below"] },
  );
}

export function projectCaseArbitrary(kinds: readonly string[]): fc.Arbitrary<ProjectCase> {
  const file = fileArbitrary(kinds);
  return fc
    .record({
      base: file,
      overlays: fc.dictionary(
        fc.constantFrom("devsecrets.dev.env", "devsecrets.prod.env", "devsecrets.staging.env", "devsecrets.local.env"),
        file,
        { maxKeys: 3 },
      ),
      odd: fc.option(
        fc.tuple(
          fc.constantFrom("devsecrets.dev.env", "devsecrets.local.env", "devsecrets.env", "devsecrets.json"),
          fc.constantFrom<OddFile>("loop", "devnull", "devzero", "procmem", "folder", "fifo"),
        ),
        { freq: 8 },
      ),
      settings,
      userConfig,
      requests: fc.array(requestArbitrary(), { minLength: 1, maxLength: 4 }),
    })
    .map(({ base, overlays, odd, settings: json, userConfig: config, requests }) => {
      const files: Record<string, string> = { "devsecrets.env": base, ...overlays };
      if (json !== null) files["devsecrets.json"] = json;
      const oddFiles: Partial<Record<string, OddFile>> = {};
      if (odd !== null) {
        oddFiles[odd[0]] = odd[1];
        delete files[odd[0]];
      }
      return { files, odd: oddFiles, userConfig: config, requests };
    });
}

function writeOdd(path: string, kind: OddFile): void {
  if (kind === "loop") symlinkSync(basename(path), path);
  else if (kind === "devnull") symlinkSync("/dev/null", path);
  else if (kind === "devzero") symlinkSync("/dev/zero", path);
  else if (kind === "procmem") symlinkSync("/proc/self/mem", path);
  else if (kind === "fifo") execFileSync("mkfifo", [path]);
  else mkdirSync(path);
}

const ODD_FILES: ReadonlySet<string> = new Set(["loop", "devnull", "devzero", "procmem", "fifo", "folder"]);

/** writes the case's project into `dir` (made fresh) and the user's settings to `configFile` (or removes them) */
export function writeProject(dir: string, c: ProjectCase, configFile: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "sub"), { recursive: true });
  for (const [file, text] of Object.entries(c.files)) writeFileSync(join(dir, file), text);
  for (const [file, kind] of Object.entries(c.odd)) if (kind) writeOdd(join(dir, file), kind);
  rmSync(configFile, { recursive: true, force: true });
  mkdirSync(dirname(configFile), { recursive: true, mode: 0o700 });
  if (c.userConfig === null) return;
  if (ODD_FILES.has(c.userConfig)) writeOdd(configFile, c.userConfig as OddFile);
  else writeFileSync(configFile, c.userConfig);
}

export interface ProjectCaseResult {
  crash: string | null;
  statuses: number[];
  ms: number;
}

/** why an error answer leaks a value (the canary), or null */
function leakIn(response: SocketResponse): string | null {
  if (response.status >= 200 && response.status < 300) return null;
  return response.body.includes(VALUE_CANARY) ? `a value in the error: ${response.body.slice(0, 300)}` : null;
}

/** sends the case's requests against the project written in `dir`; the first crash or leak is the result */
export async function runProjectCase(socket: string, dir: string, c: ProjectCase): Promise<ProjectCaseResult> {
  const started = performance.now();
  const statuses: number[] = [];
  for (const request of c.requests) {
    const cwd = request.below === "" ? dir : join(dir, request.below);
    let body: Record<string, unknown>;
    if (request.path === "/v1/trust/show") body = { cwd };
    else if (request.path === "/v1/trust") {
      // trust what the daemon shows, as `devsecrets trust --yes` does, so trusted paths are fuzzed too
      const shown = await socketRequest({
        socket,
        method: "POST",
        path: "/v1/trust/show",
        body: { cwd },
        timeoutMs: 30_000,
      });
      const digest = shown.status === 200 ? (JSON.parse(shown.body) as { digest?: string }).digest : "0".repeat(64);
      body = { cwd, digest };
    } else if (request.path === "/v1/list") body = { cwd, ...(request.env ? { env: request.env } : {}) };
    else {
      body = { cwd };
      if (request.env) body.env = request.env;
      if (request.environ) body.environ = request.environ;
      if (request.names && request.names.length > 0) body.names = request.names;
      if (request.override !== undefined) body.override = request.override;
    }
    let response: SocketResponse;
    try {
      response = await socketRequest({ socket, method: "POST", path: request.path, body, timeoutMs: 30_000 });
    } catch (error) {
      return {
        crash: `no answer at ${request.path} (${(error as Error).message})`,
        statuses,
        ms: performance.now() - started,
      };
    }
    statuses.push(response.status);
    const crash = crashIn(response) ?? leakIn(response);
    if (crash !== null) return { crash: `${request.path}: ${crash}`, statuses, ms: performance.now() - started };
  }
  return { crash: null, statuses, ms: performance.now() - started };
}

/** a case as text for a report: each file and each request */
export function describeProjectCase(c: ProjectCase, max = 1500): string {
  const text = JSON.stringify({ files: c.files, odd: c.odd, userConfig: c.userConfig, requests: c.requests });
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
