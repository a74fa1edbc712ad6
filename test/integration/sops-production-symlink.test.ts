// The production guard for sops:// (issues 16 and 21): the user config declares `sops://secrets/prod.*` production,
// and the project names that file through a symlink inside the project (link.yaml -> secrets/prod.yaml). Before, the
// pattern was matched on the path as written only, so a dev session decrypted the production file.
// Rule: the real sops binary and real age keys; the control (no pattern) shows the link is decrypted, so the guarded
// run cannot pass by a failing decryption.

import test from "ava";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cli, makeWorld } from "../helpers/sandbox-env.js";
import { sopsEncrypt, sopsPath } from "../helpers/sops.js";

test("a production sops file reached through a symlink inside the project is not decrypted for a dev session", async (t) => {
  const world = makeWorld();
  try {
    const identity = await generateX25519Identity();
    const project = world.project({ "devsecrets.env": "LINKED=sops://link.yaml#key\n" });
    mkdirSync(join(project, "secrets"));
    sopsEncrypt(join(project, "secrets", "prod.yaml"), "key: real-prod-value\n", await identityToRecipient(identity));
    symlinkSync(join("secrets", "prod.yaml"), join(project, "link.yaml"));
    const env = { DEVSECRETS_SOPS: sopsPath() };
    t.is((await cli(world, ["login", "--store", "memory"], { cwd: project, env })).code, 0);
    t.is((await cli(world, ["sops", "key", "import"], { cwd: project, env, input: identity })).code, 0);
    const control = await cli(world, ["get", "LINKED"], { cwd: project, env });
    t.is(control.stdout, "real-prod-value", `control: without the pattern the link is decrypted: ${control.stderr}`);

    const config = join(world.env.XDG_CONFIG_HOME as string, "devsecrets");
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, "config.json"), JSON.stringify({ production: ["sops://secrets/prod.*"] }));
    const guarded = await cli(world, ["env", "--format", "json"], { cwd: project, env });
    t.is(guarded.code, 0, guarded.stderr);
    t.not((JSON.parse(guarded.stdout) as Record<string, string>).LINKED, "real-prod-value");
    t.regex(
      guarded.stderr,
      /production by your user config \(sops:\/\/secrets\/prod\.\*\).*link\.yaml leads to secrets\/prod\.yaml/,
    );
  } finally {
    await world.cleanup();
  }
});
