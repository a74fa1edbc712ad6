// The service kinds start a server, which only the daemon can: minted without the daemon's services (as `sandbox mint`
// in the CLI would) each is DS_SANDBOX_OPTION naming the kind and how to reference it, and nothing starts.

import test from "ava";
import { DevsecretsError } from "../../../common/errors.js";
import { findKind } from "../../../daemon/sandbox/registry.js";
import type { MintContext } from "../../../daemon/sandbox/sandbox-kind.js";

for (const [kind, reference] of [
  ["aws/endpoint", "AWS_ENDPOINT_URL=sandbox://aws/endpoint"],
  ["stripe/api-base", "STRIPE_API_BASE=sandbox://stripe/api-base"],
  ["postgres/database", "sandbox://postgres/database#url"],
  ["redis/server", "sandbox://redis/server#url"],
] as const) {
  test(`${kind} without the daemon's services is DS_SANDBOX_OPTION with the reference to use`, async (t) => {
    const found = findKind(kind);
    if (!found) return t.fail(`${kind} is not a kind`);
    const context = { now: () => new Date() } as unknown as MintContext;
    const error = await t.throwsAsync(() => Promise.resolve(found.mint({}, context)), { instanceOf: DevsecretsError });
    t.is(error?.code, "DS_SANDBOX_OPTION");
    t.is(error?.message, `sandbox kind ${kind} starts a server and only the daemon can`);
    t.is(error?.hint, `reference it from a project (${reference}) and resolve it with \`devsecrets run\` or \`env\``);
  });
}
