// Attack: an untrusted project's devsecrets.env sets VAULT_ADDR; `eval "$(devsecrets env)"` (or direnv's `use
// devsecrets`, on every cd) puts it in the user's shell, and the next `devsecrets login` there takes it as the user's
// own address and sends ~/.vault-token to it (issue 16, item 2, through the environment instead of devsecrets.json).
// Rule: a real daemon without DEVSECRETS_TRUST_ALL, a server on loopback that records what it gets; once the project is
// trusted the same shell sends the token there, so the detector is shown to work.

import test from "ava";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { dangerousName } from "../../common/dangerous-names.js";
import { readTrustListing } from "../../daemon/trust/trust-listing.js";
import { disposeWorld } from "../helpers/daemon-process.js";
import { cli, CLI, makeWorld, runProcess, waitFor, type World } from "../helpers/sandbox-env.js";

let world: World;
test.before(() => {
  world = makeWorld({ trustAll: false });
});
test.after.always(() => disposeWorld(world));

const TOKEN = "hvs.the-users-own-vault-token";

/** a TCP server on loopback that keeps every byte it is sent and closes each connection */
async function recordingServer(t: { teardown(fn: () => void): void }): Promise<{ port: number; got(): string }> {
  let received = "";
  const server: Server = createServer((socket) => {
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.teardown(() => server.close());
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no port");
  return { port: address.port, got: () => received };
}

/** eval of `env --format sh` in a bash, then `devsecrets login` in the same shell, as the README's Vault section says */
function evalThenLogin(project: string) {
  const script = [
    `eval "$(${CLI} env --format sh)"`,
    `${CLI} login --store memory </dev/null`,
    'printf "VAULT_ADDR=%s\\n" "${VAULT_ADDR-unset}"',
  ].join("\n");
  return runProcess("bash", ["--norc", "--noprofile", "-c", script], { cwd: project, env: world.env });
}

test("an untrusted project's VAULT_ADDR never reaches the shell, so `devsecrets login` sends ~/.vault-token nowhere", async (t) => {
  const server = await recordingServer(t);
  writeFileSync(join(world.env.HOME as string, ".vault-token"), `${TOKEN}\n`, { mode: 0o600 });
  const project = world.project({ "devsecrets.env": `SAFE=kept\nVAULT_ADDR=http://127.0.0.1:${server.port}\n` });
  const printed = await cli(world, ["env", "--format", "sh"], { cwd: project });
  t.is(printed.code, 0, printed.stderr);
  t.false(printed.stdout.includes("VAULT_ADDR="), "VAULT_ADDR was exported");
  t.regex(printed.stderr, /VAULT_ADDR \(devsecrets\.env:2\) withheld/);
  const untrusted = await evalThenLogin(project);
  t.regex(untrusted.stdout, /VAULT_ADDR=unset/, untrusted.stderr);
  t.false(server.got().includes(TOKEN), "the user's Vault token went to the project's address");
  t.is((await cli(world, ["logout"], { cwd: project })).code, 0);

  // trusted, the project's address is the shell's, and login sends the token there: the detector works
  t.is((await cli(world, ["trust", "--yes"], { cwd: project })).code, 0);
  const trusted = await evalThenLogin(project);
  // the server's data event may come after login's exit on a loaded machine: wait for it, bounded
  const arrived = await waitFor(() => server.got().includes(TOKEN), 10_000, "the token at the server").then(
    () => true,
    () => false,
  );
  t.true(arrived, `once trusted the token should reach the server: ${trusted.stderr.slice(-300)}`);
});

test("the names that route credentials or TLS are dangerous: VAULT_*, BAO_*, proxies in any case, CA and TLS switches", (t) => {
  for (const name of [
    "VAULT_ADDR",
    "VAULT_CACERT",
    "BAO_ADDR",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "NODE_TLS_REJECT_UNAUTHORIZED",
    "NODE_USE_ENV_PROXY",
    "NODE_EXTRA_CA_CERTS",
    "SSL_CERT_FILE",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
  ])
    t.truthy(dangerousName(name), name);
  t.falsy(dangerousName("VAULTED"));
  t.falsy(dangerousName("STRIPE_SECRET_KEY"));
});

test("package managers' settings that choose where code comes from are dangerous: pip, uv, bundler, go's proxy and toolchain", (t) => {
  for (const name of [
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "UV_INDEX_URL",
    "BUNDLE_GEMFILE",
    "GOPROXY",
    "GOSUMDB",
    "GONOSUMDB",
    "GONOSUMCHECK",
    "GOINSECURE",
    "GOTOOLCHAIN",
  ])
    t.truthy(dangerousName(name), name);
  t.falsy(dangerousName("GOOS"), "go's build settings stay a project's own");
});

test("tools' configuration files that run programs are dangerous: AWS config, kubeconfig, docker, terraform, gradle, JVM options", (t) => {
  for (const name of [
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "KUBECONFIG",
    "DOCKER_HOST",
    "DOCKER_CONFIG",
    "TF_CLI_CONFIG_FILE",
    "GRADLE_USER_HOME",
    "GRADLE_OPTS",
    "MAVEN_OPTS",
    "JAVA_OPTS",
    "IPYTHONDIR",
    "JUPYTER_CONFIG_DIR",
    "R_PROFILE_USER",
  ])
    t.truthy(dangerousName(name), name);
  t.falsy(dangerousName("AWS_REGION"), "a region routes nothing of yours");
});

test("an untrusted project's AWS_ENDPOINT_URL never reaches the shell, so login's AWS session token goes nowhere; sandbox:// is served", async (t) => {
  const server = await recordingServer(t);
  const SESSION_TOKEN = "the-users-own-aws-session-token";
  const hostile = world.project(
    {
      "devsecrets.env": [
        `AWS_ENDPOINT_URL=http://127.0.0.1:${server.port}`,
        "AWS_ENDPOINT_URL_STS=sandbox://random/hex",
        "",
      ].join("\n"),
    },
    "aws-endpoint-hostile",
  );
  const mine = world.project({ "devsecrets.env": "DB=aws-sm://app/db\n" }, "aws-endpoint-mine");
  t.is((await cli(world, ["trust", "--yes"], { cwd: mine })).code, 0);
  const printed = await cli(world, ["env", "--format", "sh"], { cwd: hostile });
  t.is(printed.code, 0, printed.stderr);
  t.false(printed.stdout.includes("AWS_ENDPOINT_URL="), "AWS_ENDPOINT_URL was exported");
  t.regex(printed.stderr, /AWS_ENDPOINT_URL \(devsecrets\.env:1\) withheld/);
  t.regex(printed.stdout, /AWS_ENDPOINT_URL_STS='[0-9a-f]+'/, "a sandbox:// value is the daemon's own: served");
  // the user's own keys in their shell; eval there, then login and a read of their trusted project
  const script = [
    "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    `export AWS_SESSION_TOKEN=${SESSION_TOKEN} AWS_REGION=us-east-1`,
    `eval "$(${CLI} env --format sh)"`,
    `${CLI} login --store memory </dev/null`,
    `cd ${mine} && ${CLI} get DB`,
    `${CLI} logout`,
  ].join("\n");
  const run = () => runProcess("bash", ["--norc", "--noprofile", "-c", script], { cwd: hostile, env: world.env });
  const untrusted = await run();
  t.false(server.got().includes(SESSION_TOKEN), `the session token went to the project's address: ${untrusted.stderr}`);

  t.is((await cli(world, ["trust", "--yes"], { cwd: hostile })).code, 0);
  const trusted = await run();
  const arrived = await waitFor(() => server.got().includes(SESSION_TOKEN), 10_000, "the token at the server").then(
    () => true,
    () => false,
  );
  t.true(arrived, `once trusted the endpoint is the shell's and the token reaches it: ${trusted.stderr.slice(-400)}`);
});

test("the trust listing asks for a literal AWS_ENDPOINT_URL, not for sandbox://aws/endpoint (the daemon's own moto)", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ds-aws-endpoint-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "devsecrets.env"), "AWS_ENDPOINT_URL=sandbox://aws/endpoint\n");
  t.deepEqual(readTrustListing(dir).items, []);
  writeFileSync(join(dir, "devsecrets.env"), "AWS_ENDPOINT_URL=https://aws.example.test\n");
  t.deepEqual(
    readTrustListing(dir).items.map((i) => `${i.kind} ${i.name}`),
    ["dangerous-name AWS_ENDPOINT_URL"],
  );
});
