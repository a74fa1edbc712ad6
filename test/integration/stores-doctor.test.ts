// doctor's platform-store checks (issue 21): AWS settings, profile and endpoint; the sops binary; the age identity.
// Rule: a real moto and the real sops; an unreachable endpoint is a closed port on 127.0.0.1, never another address.

import test from "ava";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { createServer } from "node:net";
import { cli, makeWorld, type World } from "../helpers/sandbox-env.js";
import { startMoto } from "../helpers/moto.js";
import { sopsPath } from "../helpers/sops.js";

interface Check {
  name: string;
  ok: boolean;
  detail: string;
  hint?: string;
}

async function doctor(world: World, cwd: string, env: Record<string, string>): Promise<Map<string, Check>> {
  const r = await cli(world, ["doctor", "--json"], { cwd, env });
  const checks = (JSON.parse(r.stdout) as { checks: Check[] }).checks;
  return new Map(checks.map((check) => [check.name, check]));
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 1));
    });
  });
}

test("doctor: AWS not configured, an endpoint that does not answer, one that does, a profile that is not there", async (t) => {
  const world = makeWorld();
  const moto = await startMoto();
  try {
    const project = world.project({ "devsecrets.env": "A=aws-sm://app/x\n" });
    const none = (await doctor(world, project, {})).get("aws");
    t.true(none?.ok);
    t.regex(none?.detail ?? "", /not configured: aws-sm:\/\/ and aws-ssm:\/\/ are answered by sandbox values/);
    const closed = (await doctor(world, project, { AWS_ENDPOINT_URL: `http://127.0.0.1:${await closedPort()}` })).get(
      "aws",
    );
    t.false(closed?.ok);
    t.regex(closed?.detail ?? "", /does not answer/);
    t.regex(closed?.hint ?? "", /AWS_ENDPOINT_URL/);
    const up = (await doctor(world, project, moto.loginEnv())).get("aws");
    t.true(up?.ok, up?.detail);
    t.regex(up?.detail ?? "", /access keys from the environment, region us-east-1, endpoint .* answers/);
    t.false(JSON.stringify(up).includes(moto.loginEnv().AWS_SECRET_ACCESS_KEY as string), "no key in the output");
    const profile = (await doctor(world, project, { AWS_PROFILE: "nowhere" })).get("aws");
    t.false(profile?.ok);
    t.regex(profile?.hint ?? "", /aws configure --profile nowhere/);
  } finally {
    await moto.stop();
    await world.cleanup();
  }
});

test("doctor: a project using sops:// without sops, then with it; the age identity missing, then kept", async (t) => {
  const world = makeWorld();
  try {
    const project = world.project({ "devsecrets.env": "S=sops://secrets.yaml#key\n" });
    const without = await doctor(world, project, { DEVSECRETS_SOPS: "/nonexistent/sops" });
    t.false(without.get("sops")?.ok);
    t.regex(without.get("sops")?.hint ?? "", /go install github\.com\/getsops\/sops\/v3\/cmd\/sops@v3\.13\.3/);
    const env = { DEVSECRETS_SOPS: sopsPath() };
    t.is((await cli(world, ["login", "--store", "memory"], { cwd: project, env })).code, 0);
    const noKey = await doctor(world, project, env);
    t.true(noKey.get("sops")?.ok);
    t.false(noKey.get("age identity")?.ok);
    t.regex(noKey.get("age identity")?.hint ?? "", /devsecrets sops key generate/);
    const identity = await generateX25519Identity();
    t.is((await cli(world, ["sops", "key", "import"], { cwd: project, env, input: identity })).code, 0);
    const kept = (await doctor(world, project, env)).get("age identity");
    t.true(kept?.ok);
    t.true(kept?.detail.includes(await identityToRecipient(identity)));
    t.false(JSON.stringify(kept).includes(identity));
  } finally {
    await world.cleanup();
  }
});
