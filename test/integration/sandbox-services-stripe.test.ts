import test from "ava";
import Stripe from "stripe";
import { cli, type World } from "../helpers/sandbox-env.js";
import { withWorld } from "../helpers/daemon-process.js";
import { serviceProcessesOf } from "../helpers/service-processes.js";

async function ok(world: World, args: string[], cwd?: string): Promise<string> {
  const result = await cli(world, args, cwd ? { cwd } : {});
  if (result.code !== 0) throw new Error(`devsecrets ${args.join(" ")} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

test("stripe/api-base: the Stripe SDK creates a customer on the daemon's stripe-mock with the sandbox key; the wipe stops it", async (t) => {
  await withWorld(async (world) => {
    const project = world.project({
      "devsecrets.env": "STRIPE_SECRET_KEY=sandbox://stripe/secret-key\nSTRIPE_API_BASE=sandbox://stripe/api-base\n",
    });
    const vars = JSON.parse(await ok(world, ["env", "--format", "json"], project)) as Record<string, string>;
    const base = new URL(vars.STRIPE_API_BASE as string);
    t.is(base.hostname, "127.0.0.1");
    t.is(base.protocol, "http:");
    const stripe = new Stripe(vars.STRIPE_SECRET_KEY as string, {
      host: base.hostname,
      port: Number(base.port),
      protocol: "http",
      maxNetworkRetries: 0,
    });
    const customer = await stripe.customers.create({ email: "dev@example.test", name: "Sandbox Customer" });
    t.regex(customer.id, /^cus_/);
    // stripe-mock checks the key's shape: a live-mode key is refused, so the call above means something
    const live = new Stripe((vars.STRIPE_SECRET_KEY as string).replace("_test_", "_live_"), {
      host: base.hostname,
      port: Number(base.port),
      protocol: "http",
      maxNetworkRetries: 0,
    });
    await t.throwsAsync(live.customers.create({ email: "dev@example.test" }));
    const listed = JSON.parse(await ok(world, ["sandbox", "services", "--json"])) as { services: { kind: string }[] };
    t.deepEqual(
      listed.services.map((s) => s.kind),
      ["stripe/api-base"],
    );
    t.is(serviceProcessesOf(world).length, 1);
    t.is((await cli(world, ["daemon", "stop"])).code, 0);
    t.deepEqual(serviceProcessesOf(world), []);
  });
});
