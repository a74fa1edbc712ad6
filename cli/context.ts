// What every command needs: a client for the daemon and the caller's context.
// Rule: commands talk to the daemon only through daemon/client.

import { DaemonClient } from "../daemon/client/client.js";

export function daemonClient(): DaemonClient {
  return new DaemonClient({ env: process.env });
}

/** the caller's environment as the resolve request carries it: strings only */
export function callerEnviron(): Record<string, string> {
  const environ: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined) environ[name] = value;
  return environ;
}

export interface JsonOption {
  json?: boolean;
}

export interface EnvOption {
  env?: string;
}
