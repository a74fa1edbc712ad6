// Attack on the production guard (issues 16 and 21): the user config declares `aws-sm://prod/**` production, and a
// project names the same secret by its ARN (full, or partial without the random suffix), which Secrets Manager answers
// just as it answers the name. Before, the pattern matched only the text of the path, so a dev session fetched the
// production value. Rule: a real moto on loopback, the CLI as a user runs it; the control shows each ARN is fetched
// without the pattern, so the test cannot pass by a failing fetch.

import test from "ava";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ANY_KEYS, startMoto, type Moto } from "../helpers/moto.js";
import { cli, makeWorld } from "../helpers/sandbox-env.js";

let moto: Moto;
let arn: string;

test.before(async () => {
  moto = await startMoto();
  const sm = new SecretsManagerClient({ endpoint: moto.endpoint, region: "us-east-1", credentials: { ...ANY_KEYS } });
  const created = await sm.send(
    new CreateSecretCommand({ Name: "prod/payments", SecretString: "live-production-value" }),
  );
  sm.destroy();
  arn = created.ARN as string;
});

test.after.always(async () => {
  await moto?.stop();
});

test("a production secret named by its full or partial ARN is never fetched for a dev session", async (t) => {
  t.regex(arn, /^arn:aws:secretsmanager:us-east-1:\d+:secret:prod\/payments-[A-Za-z0-9]{6}$/);
  const world = makeWorld();
  try {
    const encoded = (text: string) => text.replaceAll(":", "%3A");
    const project = world.project({
      "devsecrets.env": [
        `FULL=aws-sm://${encoded(arn)}`,
        `PARTIAL=aws-sm://${encoded(arn.replace(/-[A-Za-z0-9]{6}$/, ""))}`,
        "",
      ].join("\n"),
    });
    const envJson = async () => {
      const r = await cli(world, ["env", "--format", "json"], { cwd: project });
      t.is(r.code, 0, r.stderr);
      return { values: JSON.parse(r.stdout) as Record<string, string>, stderr: r.stderr };
    };
    const login = async () => {
      const r = await cli(world, ["login", "--store", "memory"], { cwd: project, env: moto.loginEnv() });
      t.is(r.code, 0, r.stderr);
    };
    await login();
    const control = await envJson();
    t.is(control.values.FULL, "live-production-value", `control: the full ARN is fetched: ${control.stderr}`);
    t.is(control.values.PARTIAL, "live-production-value", `control: the partial ARN is fetched: ${control.stderr}`);

    const config = join(world.env.XDG_CONFIG_HOME as string, "devsecrets");
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, "config.json"), JSON.stringify({ production: ["aws-sm://prod/**"] }));
    await cli(world, ["logout"], { cwd: project });
    await login();
    const guarded = await envJson();
    t.not(guarded.values.FULL, "live-production-value", "the full ARN reached the production secret");
    t.not(guarded.values.PARTIAL, "live-production-value", "the partial ARN reached the production secret");
    t.regex(guarded.stderr, /production by your user config \(aws-sm:\/\/prod\/\*\*\)/);
  } finally {
    await world.cleanup();
  }
});
