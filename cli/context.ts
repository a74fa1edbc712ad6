// What every command needs: a client for the daemon and the caller's context.
// Rule: commands talk to the daemon only through daemon/client.

import { DaemonClient } from "../daemon/client/client.js";
import { resolveRequest, type ResolveChoices } from "../daemon/client/resolve-request.js";
import type { ResolveRequest } from "../daemon/protocol/messages.js";

export function daemonClient(): DaemonClient {
  return new DaemonClient({ env: process.env });
}

/**
 * the resolve request of this process (its directory and environment) with the command's choices, which always name
 * the overlay and override: the CLI read their flags and variables already (cli/options.ts)
 */
export function requestFor(choices: ResolveChoices & { env: string; override: boolean }): ResolveRequest {
  return resolveRequest(process.env, process.cwd(), choices);
}

export interface JsonOption {
  json?: boolean;
}

export interface EnvOption {
  env?: string;
}
