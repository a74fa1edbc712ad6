// When a platform-store reference (aws-sm://, aws-ssm://, sops://) is answered by a sandbox value instead of the store:
// offline, production in a dev session (the user's patterns or the project's own marking).
// Rule: the store is never asked in those cases, and the answer always carries a DS_STORE_SANDBOX notice saying why.

import type { Secret } from "../../../common/secret.js";
import type { ResolveContext } from "../../resolve/provider.js";
import type { Reference } from "../../resolve/reference.js";
import { matchProduction, type ProductionPattern } from "../../resolve/production-paths.js";
import { answerWithStandIn } from "../vault-stand-in.js";

/** a sandbox value of the reference's shape (?sandbox=KIND, else random/password), with the notice saying why */
export function storeStandIn(ref: Reference, context: ResolveContext, why: string): Promise<Secret> {
  context.notices.add("DS_STORE_SANDBOX", why);
  return answerWithStandIn(ref, context);
}

/** the environment a reference is marked for: ?env=..., or the prod overlay file it was written in */
function markedEnv(ref: Reference, where: string): string | null {
  if (ref.query.env) return ref.query.env;
  const file = /^devsecrets\.([a-z][a-z0-9_-]*)\.env:\d+$/.exec(where);
  return file && file[1] === "prod" ? "prod" : null;
}

/** why a reference must not be fetched for a session of `sessionEnv`, or null when it may be */
export function productionReason(
  ref: Reference,
  where: string,
  sessionEnv: string,
  patterns: readonly ProductionPattern[],
): string | null {
  const declared = matchProduction(patterns, ref);
  if (declared && sessionEnv !== "prod")
    return `${ref.raw} is production by your user config (${declared.text}), and this session is ${sessionEnv}: answered by a sandbox value (log in with --env prod to fetch it)`;
  const marked = markedEnv(ref, where);
  if (marked !== null && marked !== sessionEnv)
    return `${ref.raw} is for ${marked}, and this session is ${sessionEnv}: answered by a sandbox value (log in with --env ${marked} to fetch it)`;
  return null;
}
