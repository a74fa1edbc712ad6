// The daemon's core as the HTTP edge sees it: one method per route, plain protocol types in and out.
// Rule: no express here and no HTTP in the core; routes only validate and call these.

import type { SopsKeyRequest, SopsKeyResponse } from "./protocol/sops-messages.js";
import type { EventBus } from "./events.js";
import type { ServicePauseRequest, ServicePauseResponse, ServicesResponse } from "./protocol/service-messages.js";
import type { Caller } from "./audit/caller.js";
import type {
  KeychainChange,
  KeychainNameRequest,
  KeychainSetRequest,
  LoginRequest,
  LoginResponse,
  LogoutResponse,
  CheckResponse,
  DoctorResponse,
  HealthResponse,
  KindsResponse,
  ListRequest,
  ListResponse,
  MintRequest,
  MintResponse,
  ResolveRequest,
  ResolveResponse,
  ShutdownResponse,
  StatusResponse,
} from "./protocol/messages.js";
import type { JwksResponse, JwksServeRequest, JwksServeResponse } from "./protocol/jwks-messages.js";
import type { FingerprintsResponse } from "./protocol/guard-messages.js";
import type {
  ExtendRequest,
  ExtendResponse,
  RotateRequest,
  RotateResponse,
  UiCloseResponse,
  UiOpenRequest,
  UiOpenResponse,
} from "./protocol/ui-messages.js";
import type {
  TrustListResponse,
  TrustRequest,
  TrustRevokeResponse,
  TrustShowRequest,
  TrustShowResponse,
} from "./protocol/trust-messages.js";

export interface DaemonCore {
  health(): HealthResponse;
  status(): StatusResponse;
  /** the keychain as the daemon meets it in its own environment, for `devsecrets doctor` */
  doctor(): Promise<DoctorResponse>;
  resolve(request: ResolveRequest, caller?: Caller): Promise<ResolveResponse>;
  check(request: ResolveRequest): Promise<CheckResponse>;
  list(request: ListRequest): Promise<ListResponse>;
  mint(request: MintRequest, caller?: Caller): Promise<MintResponse>;
  kinds(): KindsResponse;
  /** the public keys of the current session's JWT key pairs */
  jwks(): Promise<JwksResponse>;
  /** starts (once) the loopback JWKS endpoint and answers its URL */
  serveJwks(request: JwksServeRequest): Promise<JwksServeResponse>;
  /** the logged-in session ends ttlSeconds from now (the dashboard, `login` on a live session) */
  extend(request: ExtendRequest, caller?: Caller): Promise<ExtendResponse>;
  /** new sandbox values behind a project's variables; publishes `rotate` */
  rotate(request: RotateRequest, caller?: Caller): Promise<RotateResponse>;
  /** the sandbox services this daemon runs (`devsecrets sandbox services`) */
  services(): ServicesResponse;
  /** the outage drill: a service's proxy refuses and resets connections for a while; audited */
  pauseService(request: ServicePauseRequest, caller?: Caller): ServicePauseResponse;
  /** opens (once) the dashboard's loopback listener and answers its address with a new one-time token */
  uiOpen(request: UiOpenRequest): Promise<UiOpenResponse>;
  uiClose(): Promise<UiCloseResponse>;
  /** the events of GET /v1/events (daemon/protocol/events.ts) */
  readonly events: EventBus;
  login(request: LoginRequest, caller?: Caller): Promise<LoginResponse>;
  logout(caller?: Caller): Promise<LogoutResponse>;
  keychainSet(request: KeychainSetRequest, caller?: Caller): Promise<KeychainChange>;
  keychainUnset(request: KeychainNameRequest, caller?: Caller): Promise<KeychainChange>;
  /** fingerprints (salted hashes, lengths, sandbox kinds) of what the session served, for `scan` */
  guardFingerprints(): FingerprintsResponse;
  /** what trusting the project at cwd would allow, and whether it is trusted */
  trustShow(request: TrustShowRequest): Promise<TrustShowResponse>;
  /** trusts the listing with this digest (DS_TRUST_STALE when the files changed since) */
  trust(request: TrustRequest, caller?: Caller): Promise<TrustShowResponse>;
  trustRevoke(request: TrustShowRequest, caller?: Caller): Promise<TrustRevokeResponse>;
  trustList(): TrustListResponse;
  sopsKey(request: SopsKeyRequest): Promise<SopsKeyResponse>;
  /** called for every request but health and events: keeps a session from idling */
  touch(): void;
  /** on start, before the socket is bound: resume a session, finish the wipe of a dead one */
  recover(): Promise<void>;
  /** wipes (reason `shutdown` or `restart`), then answers; the process exits right after the response is sent */
  shutdown(reason?: "shutdown" | "restart"): Promise<ShutdownResponse>;
}
