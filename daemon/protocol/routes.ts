// The routes of API v1, written once: method, path, and the bodies each carries. The daemon's express app registers
// every row, the resolve lane takes RESOLVE before it, and DaemonClient calls them; docs/protocol.md names each.
// Rule: protocol data only (no handlers); one const a route, so a bundle that needs one route carries one.

import type { FingerprintsResponse } from "./guard-messages.js";
import type { SopsKeyRequest, SopsKeyResponse } from "./sops-messages.js";
import type {
  ExtendRequest,
  ExtendResponse,
  RotateRequest,
  RotateResponse,
  UiCloseResponse,
  UiOpenRequest,
  UiOpenResponse,
} from "./ui-messages.js";
import type { ServicePauseRequest, ServicePauseResponse, ServicesResponse } from "./service-messages.js";
import type { JwksResponse, JwksServeRequest, JwksServeResponse } from "./jwks-messages.js";
import type {
  TrustListResponse,
  TrustRequest,
  TrustRevokeResponse,
  TrustShowRequest,
  TrustShowResponse,
} from "./trust-messages.js";
import type {
  CheckResponse,
  DoctorResponse,
  HealthResponse,
  KeychainChange,
  KeychainNameRequest,
  KeychainSetRequest,
  KindsResponse,
  ListRequest,
  ListResponse,
  LoginRequest,
  LoginResponse,
  LogoutResponse,
  MintRequest,
  MintResponse,
  ResolveRequest,
  ResolveResponse,
  ShutdownRequest,
  ShutdownResponse,
  StatusResponse,
} from "./messages.js";

export type Method = "GET" | "POST" | "DELETE";

/** no body: a GET's, or a POST that carries `{}` */
export type NoBody = Record<string, never> | undefined;

/**
 * One route. `Request` and `Response` are for the compiler only (never set): the client's methods and the edge's
 * handlers take their types from them, so a route's bodies are written once.
 */
export interface Route<Request, Response> {
  readonly method: Method;
  readonly path: string;
  readonly request?: Request;
  readonly response?: Response;
}

export type RequestOf<R> = R extends Route<infer Request, unknown> ? Request : never;
export type ResponseOf<R> = R extends Route<unknown, infer Response> ? Response : never;

export const HEALTH: Route<NoBody, HealthResponse> = { method: "GET", path: "/v1/health" };
export const STATUS: Route<NoBody, StatusResponse> = { method: "GET", path: "/v1/status" };
export const DOCTOR: Route<NoBody, DoctorResponse> = { method: "GET", path: "/v1/doctor" };
export const RESOLVE: Route<ResolveRequest, ResolveResponse> = { method: "POST", path: "/v1/resolve" };
export const CHECK: Route<ResolveRequest, CheckResponse> = { method: "POST", path: "/v1/check" };
export const LIST: Route<ListRequest, ListResponse> = { method: "POST", path: "/v1/list" };
export const MINT: Route<MintRequest, MintResponse> = { method: "POST", path: "/v1/sandbox/mint" };
export const KINDS: Route<NoBody, KindsResponse> = { method: "GET", path: "/v1/sandbox/kinds" };
export const JWKS: Route<NoBody, JwksResponse> = { method: "GET", path: "/v1/sandbox/jwks" };
export const SERVE_JWKS: Route<JwksServeRequest, JwksServeResponse> = {
  method: "POST",
  path: "/v1/sandbox/jwks/serve",
};
export const LOGIN: Route<LoginRequest, LoginResponse> = { method: "POST", path: "/v1/session" };
export const LOGOUT: Route<NoBody, LogoutResponse> = { method: "DELETE", path: "/v1/session" };
export const KEYCHAIN_SET: Route<KeychainSetRequest, KeychainChange> = { method: "POST", path: "/v1/keychain/set" };
export const KEYCHAIN_UNSET: Route<KeychainNameRequest, KeychainChange> = {
  method: "POST",
  path: "/v1/keychain/unset",
};
export const GUARD_FINGERPRINTS: Route<NoBody, FingerprintsResponse> = {
  method: "POST",
  path: "/v1/guard/fingerprints",
};
/** what trusting the project at `cwd` would allow (a POST: it carries the cwd) */
export const TRUST_SHOW: Route<TrustShowRequest, TrustShowResponse> = { method: "POST", path: "/v1/trust/show" };
export const TRUST: Route<TrustRequest, TrustShowResponse> = { method: "POST", path: "/v1/trust" };
export const TRUST_REVOKE: Route<TrustShowRequest, TrustRevokeResponse> = { method: "POST", path: "/v1/trust/revoke" };
export const TRUST_LIST: Route<NoBody, TrustListResponse> = { method: "GET", path: "/v1/trust" };
/** server-sent events (`text/event-stream`), not JSON: read by shims/node's subscription, not by DaemonClient */
export const EVENTS: Route<NoBody, string> = { method: "GET", path: "/v1/events" };
export const EXTEND: Route<ExtendRequest, ExtendResponse> = { method: "POST", path: "/v1/session/extend" };
export const ROTATE: Route<RotateRequest, RotateResponse> = { method: "POST", path: "/v1/sandbox/rotate" };
export const SERVICES: Route<NoBody, ServicesResponse> = { method: "GET", path: "/v1/sandbox/services" };
export const SERVICE_PAUSE: Route<ServicePauseRequest, ServicePauseResponse> = {
  method: "POST",
  path: "/v1/sandbox/services/pause",
};
export const UI_OPEN: Route<UiOpenRequest, UiOpenResponse> = { method: "POST", path: "/v1/ui" };
export const UI_CLOSE: Route<NoBody, UiCloseResponse> = { method: "DELETE", path: "/v1/ui" };
/** the age identity of sops:// (generate, import, show its recipient), kept in the session's store */
export const SOPS_KEY: Route<SopsKeyRequest, SopsKeyResponse> = { method: "POST", path: "/v1/sops/key" };
export const DAEMON_STOP: Route<ShutdownRequest | NoBody, ShutdownResponse> = {
  method: "POST",
  path: "/v1/daemon/stop",
};

/** every route, by the name the daemon's core and the client give it */
export const ROUTES = {
  health: HEALTH,
  status: STATUS,
  doctor: DOCTOR,
  resolve: RESOLVE,
  check: CHECK,
  list: LIST,
  mint: MINT,
  kinds: KINDS,
  jwks: JWKS,
  serveJwks: SERVE_JWKS,
  login: LOGIN,
  logout: LOGOUT,
  keychainSet: KEYCHAIN_SET,
  keychainUnset: KEYCHAIN_UNSET,
  guardFingerprints: GUARD_FINGERPRINTS,
  trustShow: TRUST_SHOW,
  trust: TRUST,
  trustRevoke: TRUST_REVOKE,
  trustList: TRUST_LIST,
  events: EVENTS,
  extend: EXTEND,
  rotate: ROTATE,
  services: SERVICES,
  pauseService: SERVICE_PAUSE,
  uiOpen: UI_OPEN,
  uiClose: UI_CLOSE,
  sopsKey: SOPS_KEY,
  shutdown: DAEMON_STOP,
} as const;

export type RouteName = keyof typeof ROUTES;
