// The service kinds (aws/endpoint, stripe/api-base, postgres/database, redis/server) start a server, which only the
// daemon can: `sandbox mint` in the CLI has no services. One refusal for all of them, naming the kind.

import { DevsecretsError } from "../../../common/errors.js";
import type { MintContext, MintLedger, ServiceStarter } from "../sandbox-kind.js";

/** the daemon's services and the session's ledger, or DS_SANDBOX_OPTION saying how to reference `kind` instead */
export function daemonServices(
  context: MintContext,
  kind: string,
  reference: string,
): { services: ServiceStarter; ledger: MintLedger } {
  const { services, ledger } = context;
  if (services && ledger) return { services, ledger };
  throw new DevsecretsError("DS_SANDBOX_OPTION", `sandbox kind ${kind} starts a server and only the daemon can`, {
    hint: `reference it from a project (${reference}) and resolve it with \`devsecrets run\` or \`env\``,
  });
}
