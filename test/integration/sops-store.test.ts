// sops:// with the real sops binary and real age keys, through the CLI as a user runs it (issue 21).
// Rule: the identity lives in the session's store (a real gnome-keyring here) and in no file; sops gets it on fd 3.

import test from "ava";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { filesHolding, withSessionWorld } from "../helpers/session-world.js";
import { cli, makeWorld } from "../helpers/sandbox-env.js";
import { sopsEncrypt, sopsPath } from "../helpers/sops.js";

const FILES = {
  yaml: "db:\n  password: sops-yaml-pass\n  user: app\napi_key: sops-api-1\n",
  json: '{"stripe": {"secret": "sops-json-secret"}}\n',
  env: "TOKEN=sops-dotenv-token\n",
};

test("a committed sops file is read through the daemon; the age identity is kept in the keychain and in no file", async (t) => {
  await withSessionWorld(t, {}, async (sw) => {
    const identity = await generateX25519Identity();
    const recipient = await identityToRecipient(identity);
    const env = { DEVSECRETS_SOPS: sopsPath() };
    mkdirSync(join(sw.project, "secrets"));
    sopsEncrypt(join(sw.project, "secrets", "dev.yaml"), FILES.yaml, recipient);
    sopsEncrypt(join(sw.project, "secrets", "dev.json"), FILES.json, recipient);
    sopsEncrypt(join(sw.project, "secrets", "dev.env"), FILES.env, recipient);
    writeFileSync(
      join(sw.project, "devsecrets.env"),
      [
        "DB_PASSWORD=sops://secrets/dev.yaml#db.password",
        "API_KEY=sops://secrets/dev.yaml#api_key",
        "STRIPE=sops://secrets/dev.json#stripe.secret",
        "TOKEN=sops://secrets/dev.env#TOKEN",
        "",
      ].join("\n"),
    );

    const before = await sw.run(["env", "--format", "json"], { env });
    t.is(before.code, 0, before.stderr);
    t.regex(before.stderr, /nobody is logged in: sops:\/\/ references are answered by sandbox values/);
    t.not((JSON.parse(before.stdout) as Record<string, string>).DB_PASSWORD, "sops-yaml-pass");

    const login = await sw.run(["login"], { env });
    t.is(login.code, 0, login.stderr);
    const missing = await sw.run(["get", "DB_PASSWORD", "--json"], { env });
    t.is((JSON.parse(missing.stdout) as { error: { code: string } }).error.code, "DS_SOPS_DECRYPT");
    t.regex(missing.stdout, /no age identity is kept/);

    const imported = await sw.run(["sops", "key", "import", "--json"], {
      env,
      input: `# created: today\n${identity}\n`,
    });
    t.is(imported.code, 0, imported.stderr);
    t.is((JSON.parse(imported.stdout) as { recipient: string }).recipient, recipient);
    t.false(imported.stdout.includes(identity) || imported.stderr.includes(identity));
    const shown = await sw.run(["sops", "key", "show-recipient"], { env });
    t.is(shown.stdout.trim(), recipient);
    const again = await sw.run(["sops", "key", "generate"], { env });
    t.is(again.code, 1, "an identity already kept is replaced only with --force");
    t.regex(again.stderr, /DS_KEYCHAIN_EXISTS|already kept/);

    const r = await sw.run(["env", "--format", "json"], { env });
    t.is(r.code, 0, r.stderr);
    t.deepEqual(JSON.parse(r.stdout), {
      DB_PASSWORD: "sops-yaml-pass",
      API_KEY: "sops-api-1",
      STRIPE: "sops-json-secret",
      TOKEN: "sops-dotenv-token",
    });

    t.is(await sw.secretLookup("sops/age-identity"), identity, "the identity is the keychain item sops/age-identity");
    const holding = filesHolding(sw.world.root, identity);
    t.true(holding.files > 5);
    t.deepEqual(holding.hits, [], "no file under the world's HOME, XDG folders or project holds the identity");
    for (const value of ["sops-yaml-pass", "sops-json-secret", "sops-dotenv-token"])
      t.deepEqual(filesHolding(sw.world.root, value).hits, [], `the decrypted ${value} is on no disk`);

    // a file changed on disk is decrypted again on the next resolve
    sopsEncrypt(
      join(sw.project, "secrets", "dev.yaml"),
      FILES.yaml.replace("sops-yaml-pass", "rotated-pass"),
      recipient,
    );
    t.is((await sw.run(["get", "DB_PASSWORD"], { env })).stdout, "rotated-pass");

    // re-encrypted to another recipient only: a clear error, not a value and not sops' own words
    const other = await identityToRecipient(await generateX25519Identity());
    sopsEncrypt(join(sw.project, "secrets", "dev.json"), FILES.json, other);
    const refused = await sw.run(["get", "STRIPE", "--json"], { env });
    t.is(refused.code, 1);
    const error = (JSON.parse(refused.stdout) as { error: { code: string; message: string; hint: string } }).error;
    t.is(error.code, "DS_SOPS_DECRYPT");
    t.regex(
      error.message,
      /devsecrets\.env:3: sops:\/\/secrets\/dev\.json#stripe\.secret: .*not encrypted to your age recipient/,
    );
    t.regex(error.hint, /show-recipient/);
  });
});

test("a sops:// path outside the project root is refused, by '..' and by a symlink", async (t) => {
  await withSessionWorld(t, {}, async (sw) => {
    const identity = await generateX25519Identity();
    const recipient = await identityToRecipient(identity);
    const env = { DEVSECRETS_SOPS: sopsPath() };
    const outside = join(sw.world.root, "outside.yaml");
    sopsEncrypt(outside, "secret: outside-value\n", recipient);
    symlinkSync(outside, join(sw.project, "link.yaml"));
    writeFileSync(
      join(sw.project, "devsecrets.env"),
      "UP=sops://../outside.yaml#secret\nLINK=sops://link.yaml#secret\n",
    );
    t.is((await sw.run(["login"], { env })).code, 0);
    t.is((await sw.run(["sops", "key", "import"], { env, input: identity })).code, 0);
    for (const [name, why] of [
      ["UP", /'\.\.' path segment/],
      ["LINK", /leads outside the project root/],
    ] as const) {
      const r = await sw.run(["get", name, "--json"], { env });
      t.is(r.code, 1, name);
      const error = (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error;
      t.is(error.code, "DS_REF_SYNTAX", name);
      t.regex(error.message, why);
      t.false(r.stdout.includes("outside-value"));
    }
  });
});

test("sops://: a production path of the user config and an untrusted project get a sandbox value, sops never runs", async (t) => {
  for (const trustAll of [true, false]) {
    const world = makeWorld({ trustAll });
    try {
      const identity = await generateX25519Identity();
      const project = world.project({ "devsecrets.env": "S=sops://secrets/prod.yaml#key\n" });
      mkdirSync(join(project, "secrets"));
      sopsEncrypt(join(project, "secrets", "prod.yaml"), "key: real-prod-value\n", await identityToRecipient(identity));
      const config = join(world.env.XDG_CONFIG_HOME as string, "devsecrets");
      mkdirSync(config, { recursive: true });
      if (trustAll)
        writeFileSync(join(config, "config.json"), JSON.stringify({ production: ["sops://secrets/prod.*"] }));
      // a sops that would fail loudly if it ran
      const env = { DEVSECRETS_SOPS: "/nonexistent/sops" };
      t.is((await cli(world, ["login", "--store", "memory"], { cwd: project, env })).code, 0);
      t.is((await cli(world, ["sops", "key", "import"], { cwd: project, env, input: identity })).code, 0);
      const r = await cli(world, ["env", "--format", "json"], { cwd: project, env });
      t.is(r.code, 0, r.stderr);
      t.not((JSON.parse(r.stdout) as Record<string, string>).S, "real-prod-value");
      t.regex(
        r.stderr,
        trustAll
          ? /production by your user config \(sops:\/\/secrets\/prod\.\*\)/
          : /not trusted: its sops:\/\/ references/,
      );
    } finally {
      await world.cleanup();
    }
  }
});

test("the user config's sops.binary is the sops devsecrets runs; one named and missing is DS_SOPS_MISSING", async (t) => {
  const world = makeWorld();
  try {
    const identity = await generateX25519Identity();
    const project = world.project({ "devsecrets.env": "S=sops://s.yaml#key\n" });
    sopsEncrypt(join(project, "s.yaml"), "key: from-config-sops\n", await identityToRecipient(identity));
    const config = join(world.env.XDG_CONFIG_HOME as string, "devsecrets");
    mkdirSync(config, { recursive: true });
    t.is((await cli(world, ["login", "--store", "memory"], { cwd: project })).code, 0);
    t.is((await cli(world, ["sops", "key", "import"], { cwd: project, input: identity })).code, 0);
    // PATH (the tests' own) holds a sops too: a named one that is not there must not fall back to it
    writeFileSync(join(config, "config.json"), JSON.stringify({ sops: { binary: "/nonexistent/sops" } }));
    const missing = await cli(world, ["get", "S", "--json"], { cwd: project });
    t.is((JSON.parse(missing.stdout) as { error: { code: string } }).error.code, "DS_SOPS_MISSING");
    writeFileSync(join(config, "config.json"), JSON.stringify({ sops: { binary: sopsPath() } }));
    t.is((await cli(world, ["get", "S"], { cwd: project })).stdout, "from-config-sops");
  } finally {
    await world.cleanup();
  }
});
