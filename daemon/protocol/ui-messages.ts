// The bodies of the dashboard's routes on the socket and of the two session/sandbox actions it shares with the CLI:
// POST /v1/session/extend, POST /v1/sandbox/rotate, POST and DELETE /v1/ui.
// Rule: protocol data only; never a value (rotation answers names and references).

import type { SessionInfo } from "./messages.js";

export interface ExtendRequest {
  /** the new life from now; the default is a login's (8 h) */
  ttlSeconds?: number;
}

export interface ExtendResponse {
  session: SessionInfo;
}

export interface RotateRequest {
  cwd: string;
  /** the project's variables to rotate; all its sandbox:// variables when absent */
  names?: string[];
  env?: string;
  /** how long old values stay valid where a service can refuse them (sandbox services); 0 by default */
  graceSeconds?: number;
}

export interface RotateResponse {
  /** each rotated variable and the reference behind it */
  rotated: { name: string; reference: string }[];
}

export interface UiOpenRequest {
  /** 127.0.0.1's port; a free one when absent */
  port?: number;
}

export interface UiOpenResponse {
  /** the page's address with a one-time token (60 s, single use) */
  url: string;
  port: number;
  tokenExpiresAt: string;
}

export interface UiCloseResponse {
  closed: boolean;
}
