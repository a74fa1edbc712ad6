// The typed client of the socket API, shared by the CLI, the preloads' cold path and programs that import devsecrets.
// Rule: every failure becomes a DevsecretsError with the daemon's code; autostarts the daemon when nobody answers;
// routes come from daemon/protocol/routes.ts, the transport from transport.ts, the decoding from answer.ts.

import { isSocketUnreachable, type SocketRequest, type SocketResponse } from "./http-exchange.js";
import { exchange } from "./transport.js";
import { readAnswer } from "./answer.js";
import { clientFlag } from "./client-environment.js";
import { spawnDaemon, startTimeoutMs } from "./autostart.js";
import { DevsecretsError } from "../../common/errors.js";
import { refuseInvalid } from "../../common/environment.js";
import type { OnInvalid } from "../../common/environment-dialect.js";
import { socketPath } from "../../common/paths.js";
import { isErrorCode } from "../protocol/error-codes.js";
import { PACKAGE_VERSION, VERSION_HEADER, compareVersions } from "../protocol/version.js";
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

export interface ClientOptions {
  socket?: string;
  env?: NodeJS.ProcessEnv;
  /** start the daemon when nobody answers (default: unless DEVSECRETS_NO_AUTOSTART is true) */
  autostart?: boolean;
  timeoutMs?: number;
  /** what a DEVSECRETS_* value outside the dialect does: DS_USAGE by default (the CLI); a shim says and ignores it */
  onInvalid?: OnInvalid;
}

export class DaemonClient {
  readonly socket: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #autostart: boolean;
  readonly #timeoutMs: number;
  readonly #onInvalid: OnInvalid;
  #versionChecked = false;

  constructor(options: ClientOptions = {}) {
    this.#env = options.env ?? process.env;
    this.#onInvalid = options.onInvalid ?? refuseInvalid;
    this.socket = options.socket ?? socketPath(this.#env);
    this.#autostart = options.autostart ?? !clientFlag(this.#env, "DEVSECRETS_NO_AUTOSTART", this.#onInvalid);
    this.#timeoutMs = options.timeoutMs ?? 30_000;
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
  guardFingerprints(): Promise<FingerprintsResponse> {
    return this.call(GUARD_FINGERPRINTS, {});
  }

  /** asks a running daemon to wipe and exit; null when none was running */
  async stop(): Promise<ShutdownResponse | null> {
    try {
      return await this.#exchange(DAEMON_STOP, {});
    } catch (error) {
      if (isSocketUnreachable(error)) return null;
      throw error;
    }
  }

  /** one route of daemon/protocol/routes.ts, starting the daemon first when nobody answers and autostart is on */
  async call<R extends Route<unknown, unknown>>(route: R, body?: RequestOf<R>): Promise<ResponseOf<R>> {
    try {
      return await this.#exchange(route, body);
    } catch (error) {
      if (!isSocketUnreachable(error)) throw error;
      if (!this.#autostart) throw unreachable(this.socket, error.errno);
      await this.startDaemon();
      return this.#exchange(route, body);
    }
  }

  /** starts a daemon and waits until one (ours or a racing starter's) answers */
  async startDaemon(): Promise<void> {
    const started = spawnDaemon(this.#env);
    const timeoutMs = startTimeoutMs(this.#env, this.#onInvalid);
    const deadline = Date.now() + timeoutMs;
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
        if (await answers(this.socket, 2_000)) return;
        const exited = exit as { code: number | null; stderr: string } | null;
        if (exited && exited.code !== 0) {
          throw new DevsecretsError(
            "DS_DAEMON_START_FAILED",
            `the daemon stopped at start-up: ${firstLine(exited.stderr)}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
      throw new DevsecretsError(
        "DS_DAEMON_START_FAILED",
        `the daemon did not answer on ${this.socket} within ${timeoutMs} ms`,
      );
    } finally {
      started.detach();
    }
  }

  async #exchange<R extends Route<unknown, unknown>>(route: R, body?: RequestOf<R>): Promise<ResponseOf<R>> {
    const response = await exchange({
      socket: this.socket,
      method: route.method,
      path: route.path,
      body,
      headers: { [VERSION_HEADER]: PACKAGE_VERSION, "x-devsecrets-pid": String(process.pid) },
      timeoutMs: this.#timeoutMs,
    });
    if (!this.#versionChecked && route !== DAEMON_STOP) {
      this.#versionChecked = true;
      const daemonVersion = response.headers[VERSION_HEADER];
      if (daemonVersion && compareVersions(PACKAGE_VERSION, daemonVersion) > 0) {
        // a newer client restarts an older daemon: the old one wipes on its way out
        await this.#exchange(DAEMON_STOP, {});
        await waitUntilGone(this.socket);
        return this.call(route, body);
      }
    }
    return decode<ResponseOf<R>>(response);
  }
}

/** the answer, or the daemon's failure as a DevsecretsError (a code this client does not know: DS_INTERNAL) */
function decode<T>(response: SocketResponse): T {
  const outcome = readAnswer<T>(response);
  if (outcome.ok) return outcome.answer;
  const { code, message, hint } = outcome.error;
  if (isErrorCode(code)) throw new DevsecretsError(code, message, { hint });
  throw new DevsecretsError("DS_INTERNAL", `the daemon answered with status ${response.status}`);
}

function unreachable(socket: string, errno: string): DevsecretsError {
  return new DevsecretsError("DS_DAEMON_UNREACHABLE", `no daemon answers on ${socket} (${errno})`);
}

/** whether a daemon answers GET /v1/health on the socket within timeoutMs (a failing one counts as answering) */
async function answers(socket: string, timeoutMs: number): Promise<boolean> {
  const probe: SocketRequest = { socket, method: HEALTH.method, path: HEALTH.path, timeoutMs };
  try {
    await exchange(probe);
    return true;
  } catch (error) {
    if (isSocketUnreachable(error)) return false;
    throw error;
  }
}

async function waitUntilGone(socket: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    try {
      if (!(await answers(socket, 500))) return;
    } catch {
      // a daemon on its way out may cut the probe short: ask again
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "no reason given";
  return line.replace(/^devsecrets:\s*/, "").slice(0, 300);
}
