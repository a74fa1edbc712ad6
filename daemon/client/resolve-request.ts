// The body of POST /v1/resolve from a process's environment (docs/protocol.md, "Writing a shim"), and the call that
// carries it. Rule: the one place a resolve request is made; a caller's explicit choice (the CLI's flags) wins over
// DEVSECRETS_ENV and DEVSECRETS_OVERRIDE, read in the dialect (client-environment.ts).

import type { OnInvalid } from "../../common/environment-dialect.js";
import { DEFAULT_ENV, type ResolveRequest } from "../protocol/messages.js";
import { RESOLVE } from "../protocol/routes.js";
import { PACKAGE_VERSION, VERSION_HEADER } from "../protocol/version.js";
import { clientFlag, clientText } from "./client-environment.js";
import type { SocketRequest } from "./http-exchange.js";

type Env = Readonly<Record<string, string | undefined>>;

/** what a caller decided itself; each one left out is read from the environment */
export interface ResolveChoices {
  env?: string;
  override?: boolean;
  names?: string[];
}

/**
 * the request for `cwd` with the caller's environment; a DEVSECRETS_OVERRIDE outside the dialect goes to onInvalid
 * (a shim says so and ignores it; the CLI reads its flags through common/environment.ts and passes choices)
 */
export function resolveRequest(
  env: Env,
  cwd: string,
  choices: ResolveChoices = {},
  onInvalid?: OnInvalid,
): ResolveRequest {
  const environ: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) environ[name] = value;
  const request: ResolveRequest = {
    cwd,
    env: choices.env ?? clientText(env, "DEVSECRETS_ENV") ?? DEFAULT_ENV,
    environ,
    override: choices.override ?? clientFlag(env, "DEVSECRETS_OVERRIDE", onInvalid) ?? false,
  };
  if (choices.names) request.names = choices.names;
  return request;
}

/** the exchange that asks for `request` on `socket` */
export function resolveCall(socket: string, request: ResolveRequest): SocketRequest {
  return {
    socket,
    method: RESOLVE.method,
    path: RESOLVE.path,
    body: request,
    headers: { [VERSION_HEADER]: PACKAGE_VERSION },
  };
}
