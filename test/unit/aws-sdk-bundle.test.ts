// The AWS SDK clients as one lazily loaded bundle (issue 18, DESIGN "Node and packaging": their own line of at most
// 12 MB): built by scripts/build.mjs into dist/bundle/daemon/aws-sdk.mjs, reached only by the dynamic import of the
// first aws-sm:// or aws-ssm:// resolve, never by the daemon's start, the run path or the preloads.

import test from "ava";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../helpers/sandbox-env.js";

const DAEMON_BUNDLE = join(REPO_ROOT, "dist", "bundle", "daemon");
const read = (path: string) => readFileSync(path, "utf8");

function sources(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts"))
    .map((entry) => join(entry.parentPath, entry.name));
}

test("only daemon/providers/stores/aws-sdk.ts imports the SDK's packages, and they are not dependencies", (t) => {
  const importers = ["daemon", "common", "cli", "shims/node"]
    .flatMap(sources)
    .filter((file) => /from\s+"@(aws-sdk|smithy|aws-crypto)\//.test(read(file)))
    .map((file) => file.slice(REPO_ROOT.length + 1));
  t.deepEqual(importers, [join("daemon", "providers", "stores", "aws-sdk.ts")]);
  const manifest = JSON.parse(read(join(REPO_ROOT, "package.json"))) as { dependencies: Record<string, string> };
  t.deepEqual(
    Object.keys(manifest.dependencies).filter((name) => /^@(aws-sdk|smithy|aws-crypto)\//.test(name)),
    [],
  );
});

test("the bundle holds the SDK: no package is left for an install to carry, its licences travel beside it", (t) => {
  const bundle = read(join(DAEMON_BUNDLE, "aws-sdk.mjs"));
  const bare = [...bundle.matchAll(/\b(?:require\(|import\(|import\s*|from\s*)"([^".][^"]*)"/g)]
    .map((match) => match[1] as string)
    .filter((specifier) => !specifier.startsWith("node:"));
  // the CRT signer is the SDK's optional peer for SigV4a (multi-region access points), which neither store uses: it was
  // never installed, bundled or not, and is required only when a SigV4a request is signed
  t.deepEqual([...new Set(bare)], ["@aws-sdk/signature-v4-crt"]);
  for (const name of ["SecretsManagerClient", "GetSecretValueCommand", "DescribeSecretCommand", "SSMClient"])
    t.regex(bundle, new RegExp(`\\b${name}\\b`), name);
  const licences = read(join(DAEMON_BUNDLE, "aws-sdk.licenses.txt"));
  t.regex(licences, /@aws-sdk\/client-secrets-manager [\d.]+ \(Apache-2\.0\)/);
  t.regex(licences, /@aws-sdk\/client-ssm [\d.]+ \(Apache-2\.0\)/);
  t.regex(licences, /Apache License\s+Version 2\.0/);
  // its own line in DESIGN is 12 MB; the bundle is a small part of it
  t.true(statSync(join(DAEMON_BUNDLE, "aws-sdk.mjs")).size < 4 * 1024 * 1024);
});

test("only a dynamic import reaches the bundle: the daemon's start, the CLI, run and the preloads never load it", (t) => {
  const chunks = readdirSync(DAEMON_BUNDLE).filter((file) => file.endsWith(".mjs") && file !== "aws-sdk.mjs");
  const dynamic = chunks.filter((file) => /\bimport\(\s*"\.\/aws-sdk\.mjs"\s*\)/.test(read(join(DAEMON_BUNDLE, file))));
  t.is(dynamic.length, 1, "one chunk imports it on first use");
  for (const file of chunks)
    t.notRegex(
      read(join(DAEMON_BUNDLE, file)),
      /(from\s*|import\s*)"\.\/aws-sdk\.mjs"/,
      `${file} imports it statically`,
    );
  for (const file of [
    "dist/bundle/cli/run-fast.cjs",
    "dist/bundle/cli/main.mjs",
    "dist/shims/node/register.js",
    "dist/shims/node/register.cjs",
    "dist/daemon/main.js",
  ]) {
    const text = read(join(REPO_ROOT, file));
    t.false(text.includes("aws-sdk"), `${file} names the AWS SDK`);
  }
});
