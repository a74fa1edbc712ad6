// The typed client of the socket API, shared by the CLI, the preloads' cold path and programs that import devsecrets.
// Rule: every failure becomes a DevsecretsError with the daemon's code; autostarts the daemon when nobody answers;
// routes come from daemon/protocol/routes.ts, the transport from transport.ts, the decoding from answer.ts.

import type { SopsKeyRequest, SopsKeyResponse } from "../protocol/sops-messages.js";
import { isSocketUnreachable, type SocketRequest, type SocketResponse } from "./http-exchange.js";
import { readFileSync } from "node:fs";
import { exchange } from "./transport.js";
import { listenerCheck, type ListenerCheck } from "./listener-check.js";
import { isSocketUnsafe } from "./socket-check.js";
import { readAnswer } from "./answer.js";
import { clientFlag } from "./client-environment.js";
import { spawnDaemon, startTimeoutMs } from "./autostart.js";
import { debug, debugEnabled } from "./debug-log.js";
import { DevsecretsError } from "../../common/errors.js";
import { refuseInvalid } from "../../common/environment.js";
import type { OnInvalid } from "../../common/environment-dialect.js";
import { socketPath } from "../../common/paths.js";
import { isErrorCode } from "../protocol/error-codes.js";
import { PACKAGE_VERSION, VERSION_HEADER, compareVersions } from "../protocol/version.js";
import type { ServicePauseRequest, ServicePauseResponse, ServicesResponse } from "../protocol/service-messages.js";
import {
  CHECK,
  DAEMON_STOP,
  GUARD_FINGERPRINTS,
  HEALTH,
  JWKS,
  KEYCHAIN_SET,
  KEYCHAIN_UNSET,
  KINDS,
  LIST,
  LOGIN,
  LOGOUT,
  MINT,
  RESOLVE,
  SERVE_JWKS,
  STATUS,
  DOCTOR,
  EXTEND,
  SOPS_KEY,
  ROTATE,
  SERVICES,
  SERVICE_PAUSE,
  UI_CLOSE,
  UI_OPEN,
  TRUST,
  TRUST_LIST,
  TRUST_REVOKE,
  TRUST_SHOW,
  type RequestOf,
  type ResponseOf,
  type Route,
} from "../protocol/routes.js";
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
} from "../protocol/messages.js";
import type { JwksResponse, JwksServeRequest, JwksServeResponse } from "../protocol/jwks-messages.js";
import type { FingerprintsResponse } from "../protocol/guard-messages.js";
import type {
  ExtendRequest,
  ExtendResponse,
  RotateRequest,
  RotateResponse,
  UiCloseResponse,
  UiOpenRequest,
  UiOpenResponse,
} from "../protocol/ui-messages.js";
import type {
  TrustListResponse,
  TrustRequest,
  TrustRevokeResponse,
  TrustShowRequest,
  TrustShowResponse,
} from "../protocol/trust-messages.js";

export interface ClientOptions {
  socket?: string;
  env?: NodeJS.ProcessEnv;
  /** start the daemon when nobody answers (default: unless DEVSECRETS_NO_AUTOSTART is true) */
  autostart?: boolean;
  timeoutMs?: number;
  /** what a DEVSECRETS_* value outside the dialect does: DS_USAGE by default (the CLI); a shim says and ignores it */
  onInvalid?: OnInvalid;
  /**
   * ask the kernel which uid listens before sending (SO_PEERCRED; default true). Off only for the preloads' cold path,
   * which loads built-ins only and relies on the folder check every exchange makes
   */
  checkListener?: boolean;
  /** one line for the user (a restart of an older daemon, a newer daemon left alone); default: stderr */
  notify?: (line: string) => void;
}

/** how a restart went, for its one line on stderr */
export interface Restarted {
  from: string | null;
  to: string;
  wiped: Record<string, number>;
  session: { store: string; resumes: boolean; locked?: boolean } | null;
}

export class DaemonClient {
  readonly socket: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #autostart: boolean;
  readonly #timeoutMs: number;
  readonly #onInvalid: OnInvalid;
  readonly #notify: (line: string) => void;
  readonly #checkListener: boolean;
  #listenerCheck: ListenerCheck | undefined | null = null;
  #versionChecked = false;

  constructor(options: ClientOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#onInvalid = options.onInvalid ?? refuseInvalid;
    this.socket = options.socket ?? socketPath(this.#env);
    this.#autostart = options.autostart ?? !clientFlag(this.#env, "DEVSECRETS_NO_AUTOSTART", this.#onInvalid);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#notify = options.notify ?? ((line) => void process.stderr.write(`devsecrets: ${line}\n`));
    this.#checkListener = options.checkListener ?? true;
  }

  /** the listener check, bound on the first exchange (koffi loads then, not when a client is made) */
  #listener(): ListenerCheck | undefined {
    if (!this.#checkListener) return undefined;
    if (this.#listenerCheck === null) this.#listenerCheck = listenerCheck();
    return this.#listenerCheck;
  }

  health(): Promise<HealthResponse> {
    return this.call(HEALTH);
  }
  status(): Promise<StatusResponse> {
    return this.call(STATUS);
  }
  doctor(): Promise<DoctorResponse> {
    return this.call(DOCTOR);
  }
  resolve(request: ResolveRequest): Promise<ResolveResponse> {
    return this.call(RESOLVE, request);
  }
  check(request: ResolveRequest): Promise<CheckResponse> {
    return this.call(CHECK, request);
  }
  list(request: ListRequest): Promise<ListResponse> {
    return this.call(LIST, request);
  }
  mint(request: MintRequest): Promise<MintResponse> {
    return this.call(MINT, request);
  }
  kinds(): Promise<KindsResponse> {
    return this.call(KINDS);
  }
  jwks(): Promise<JwksResponse> {
    return this.call(JWKS);
  }
  serveJwks(request: JwksServeRequest = {}): Promise<JwksServeResponse> {
    return this.call(SERVE_JWKS, request);
  }
  login(request: LoginRequest): Promise<LoginResponse> {
    return this.call(LOGIN, request);
  }
  logout(): Promise<LogoutResponse> {
    return this.call(LOGOUT);
  }
  keychainSet(request: KeychainSetRequest): Promise<KeychainChange> {
    return this.call(KEYCHAIN_SET, request);
  }
  keychainUnset(request: KeychainNameRequest): Promise<KeychainChange> {
    return this.call(KEYCHAIN_UNSET, request);
  }
  sopsKey(request: SopsKeyRequest): Promise<SopsKeyResponse> {
    return this.call(SOPS_KEY, request);
  }

  extend(request: ExtendRequest = {}): Promise<ExtendResponse> {
    return this.call(EXTEND, request);
  }
  rotate(request: RotateRequest): Promise<RotateResponse> {
    return this.call(ROTATE, request);
  }
  services(): Promise<ServicesResponse> {
    return this.call(SERVICES);
  }
  pauseService(request: ServicePauseRequest): Promise<ServicePauseResponse> {
    return this.call(SERVICE_PAUSE, request);
  }
  uiOpen(request: UiOpenRequest = {}): Promise<UiOpenResponse> {
    return this.call(UI_OPEN, request);
  }
  uiClose(): Promise<UiCloseResponse> {
    return this.call(UI_CLOSE);
  }
  guardFingerprints(): Promise<FingerprintsResponse> {
    return this.call(GUARD_FINGERPRINTS, {});
  }
  /** what trusting the project at cwd would allow, and whether it is trusted */
  trustShow(request: TrustShowRequest): Promise<TrustShowResponse> {
    return this.call(TRUST_SHOW, request);
  }
  /** trusts the listing the user saw (its digest); DS_TRUST_STALE when the files changed since */
  trust(request: TrustRequest): Promise<TrustShowResponse> {
    return this.call(TRUST, request);
  }
  trustRevoke(request: TrustShowRequest): Promise<TrustRevokeResponse> {
    return this.call(TRUST_REVOKE, request);
  }
  trustList(): Promise<TrustListResponse> {
    return this.call(TRUST_LIST);
  }

  /** asks a running daemon to wipe and exit; null when none was running */
  async stop(reason: "shutdown" | "restart" = "shutdown"): Promise<ShutdownResponse | null> {
    try {
      return await this.#exchange(DAEMON_STOP, reason === "restart" ? { reason } : {});
    } catch (error) {
      if (isSocketUnreachable(error)) return null;
      throw error;
    }
  }

  /**
   * stops the running daemon with a `restart` wipe (a keychain or file session resumes, a memory one is lost), waits
   * until it is gone, and starts this package's daemon; `from` is the old version, null when none was running
   */
  async restart(): Promise<Restarted> {
    this.#versionChecked = true;
    let from: string | null = null;
    try {
      // the version it says on the wire (the header), as the version check reads it
      const response = await exchange({
        socket: this.socket,
        method: HEALTH.method,
        path: HEALTH.path,
        timeoutMs: 5_000,
        checkListener: this.#listener(),
      }).catch((error: unknown) => {
        throw asClientError(error);
      });
      from = response.headers[VERSION_HEADER] ?? decode<HealthResponse>(response).version;
    } catch (error) {
      if (!isSocketUnreachable(error)) throw error;
    }
    const stopped = from === null ? null : await this.stop("restart");
    if (stopped) await waitUntilGone(this.socket, stopped.pid, this.#listener());
    await this.startDaemon();
    return { from, to: PACKAGE_VERSION, wiped: stopped?.wiped ?? {}, session: stopped?.session ?? null };
  }

  /** one route of daemon/protocol/routes.ts, starting the daemon first when nobody answers and autostart is on */
  async call<R extends Route<unknown, unknown>>(route: R, body?: RequestOf<R>): Promise<ResponseOf<R>> {
    try {
      return await this.#exchange(route, body);
    } catch (error) {
      if (!isSocketUnreachable(error)) throw error;
      debug(() => `no daemon answers on ${this.socket} (${error.errno})${this.#autostart ? "; starting one" : ""}`);
      if (!this.#autostart) throw unreachable(this.socket, error.errno);
      await this.startDaemon();
      return this.#exchange(route, body);
    }
  }

  /** starts a daemon and waits until one (ours or a racing starter's) answers */
  async startDaemon(): Promise<void> {
    const timeoutMs = startTimeoutMs(this.#env, this.#onInvalid);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const started = spawnDaemon(this.#env);
      let exit: { code: number | null; stderr: string } | null = null;
      void started.exited.then(
        (result) => {
          exit = result;
        },
        () => {
          exit = { code: -1, stderr: "" };
        },
      );
      try {
        while (Date.now() < deadline) {
          if (await answers(this.socket, 2_000, this.#listener())) {
            debug(() => `the daemon answers after ${timeoutMs - (deadline - Date.now())} ms`);
            return;
          }
          const exited = exit as { code: number | null; stderr: string } | null;
          if (exited && exited.code !== 0) {
            throw new DevsecretsError(
              "DS_DAEMON_START_FAILED",
              `the daemon stopped at start-up: ${firstLine(exited.stderr)}`,
            );
          }
          // ours yielded to the lock's holder: wait for that one to answer, unless it is gone (one that was on its
          // way out), then start another; never a storm of starts while a winner loads
          if (exited && !lockHolderRuns(this.socket)) break;
          await new Promise((resolve) => setTimeout(resolve, 15));
        }
      } finally {
        started.detach();
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new DevsecretsError(
      "DS_DAEMON_START_FAILED",
      `the daemon did not answer on ${this.socket} within ${timeoutMs} ms`,
    );
  }

  async #exchange<R extends Route<unknown, unknown>>(route: R, body?: RequestOf<R>): Promise<ResponseOf<R>> {
    const began = debugEnabled() ? performance.now() : 0;
    const response = await exchange({
      socket: this.socket,
      method: route.method,
      path: route.path,
      body,
      headers: { [VERSION_HEADER]: PACKAGE_VERSION, "x-devsecrets-pid": String(process.pid) },
      timeoutMs: this.#timeoutMs,
      checkListener: this.#listener(),
    }).catch((error: unknown) => {
      throw asClientError(error);
    });
    // the route and status only: the body may hold values
    debug(
      () =>
        `${route.method} ${route.path} on ${this.socket}: ${response.status} in ${(performance.now() - began).toFixed(1)} ms (daemon ${response.headers[VERSION_HEADER] ?? "?"})`,
    );
    if (!this.#versionChecked && route !== DAEMON_STOP) {
      this.#versionChecked = true;
      const daemonVersion = response.headers[VERSION_HEADER];
      const skew = daemonVersion ? compareVersions(PACKAGE_VERSION, daemonVersion) : 0;
      if (skew > 0) {
        // a newer client restarts an older daemon (after its wipe) and completes the command, autostart or not
        debug(() => `the daemon is ${daemonVersion}, older than this client (${PACKAGE_VERSION}): restarting it`);
        this.#notify(describeRestart(await this.restart()));
        return this.#exchange(route, body);
      }
      if (skew < 0) {
        // a newer daemon is left alone: an older client must not take away what a newer one serves
        this.#notify(
          `the daemon runs version ${daemonVersion}, newer than this client's ${PACKAGE_VERSION}; left running ` +
            "(`devsecrets daemon restart` would replace it with this version)",
        );
      }
    }
    return decode<ResponseOf<R>>(response);
  }
}

/**
 * the answer, or the daemon's failure as a DevsecretsError; a DS_ code this client does not know (a newer daemon) is
 * passed through with its message and hint (DESIGN "Client checks"), anything else is DS_INTERNAL
 */
function decode<T>(response: SocketResponse): T {
  const outcome = readAnswer<T>(response);
  if (outcome.ok) return outcome.answer;
  const { code, message, hint } = outcome.error;
  if (isErrorCode(code)) throw new DevsecretsError(code, message, { hint });
  if (/^DS_[A-Z_]+$/.test(code)) throw DevsecretsError.passedThrough(code, message, hint);
  throw new DevsecretsError("DS_INTERNAL", `the daemon answered with status ${response.status}`);
}

/** the transports' DS_SOCKET_UNSAFE (a plain Error, shared with the preloads) as the CLI's DevsecretsError */
function asClientError(error: unknown): unknown {
  return isSocketUnsafe(error) ? new DevsecretsError("DS_SOCKET_UNSAFE", error.message, { hint: error.hint }) : error;
}

function unreachable(socket: string, errno: string): DevsecretsError {
  return new DevsecretsError("DS_DAEMON_UNREACHABLE", `no daemon answers on ${socket} (${errno})`);
}

/** whether a daemon answers GET /v1/health on the socket within timeoutMs (a failing one counts as answering) */
async function answers(socket: string, timeoutMs: number, checkListener?: ListenerCheck): Promise<boolean> {
  const probe: SocketRequest = { socket, method: HEALTH.method, path: HEALTH.path, timeoutMs, checkListener };
  try {
    await exchange(probe);
    return true;
  } catch (error) {
    if (isSocketUnreachable(error)) return false;
    throw asClientError(error);
  }
}

/** until nobody answers on the socket and the stopping daemon's pid (when it said it) has exited, at most 10 s */
async function waitUntilGone(socket: string, pid?: number, checkListener?: ListenerCheck): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      // its lock is released only as it exits: a successor started earlier would yield to it
      if (!(await answers(socket, 500, checkListener)) && (pid === undefined || !running(pid))) return;
    } catch {
      // a daemon on its way out may cut the probe short: ask again
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** whether the pid named in the lock file beside the socket is a running process (information only, as here) */
function lockHolderRuns(socket: string): boolean {
  try {
    const pid = Number.parseInt(readFileSync(`${socket}.lock`, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 && running(pid);
  } catch {
    return false;
  }
}

/** whether `pid` is a process that has not exited (a zombie has: it holds no lock and serves nothing) */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  try {
    // the state follows the parenthesised command name, which may itself hold spaces or parentheses
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

/** the one line a restart prints: versions, what the wipe undid, what became of the session */
export function describeRestart(restarted: Restarted): string {
  const versions =
    restarted.from === null
      ? `started the daemon (${restarted.to})`
      : restarted.from === restarted.to
        ? `restarted the daemon (${restarted.to})`
        : `restarted the daemon (${restarted.from} -> ${restarted.to})`;
  const parts = Object.entries(restarted.wiped)
    .filter(([, n]) => n > 0)
    .map(([part, n]) => `${n} ${part}`);
  const session = restarted.session
    ? restarted.session.store === "file"
      ? "the file session resumes locked: `devsecrets login` asks its passphrase once and the same session continues"
      : restarted.session.resumes
        ? `the ${restarted.session.store} session resumes`
        : `the ${restarted.session.store} session is lost: log in again`
    : "no session was logged in";
  return `${versions}; wiped ${parts.length ? parts.join(", ") : "nothing"}; ${session}`;
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "no reason given";
  return line.replace(/^devsecrets:\s*/, "").slice(0, 300);
}
