// The typed client of the socket API, shared by the CLI and the Node shim.
// Rule: every failure becomes a DevsecretsError with the daemon's code; autostarts the daemon when nobody answers.

import { socketRequest, SocketUnreachableError, type SocketResponse } from "./socket-request.js";
import { spawnDaemon, startTimeoutMs } from "./autostart.js";
import { DevsecretsError } from "../../common/errors.js";
import { isErrorCode } from "../protocol/error-codes.js";
import { PACKAGE_VERSION, VERSION_HEADER, compareVersions } from "../protocol/version.js";
import { socketPath } from "../../common/paths.js";
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
  /** start the daemon when nobody answers (default true) */
  autostart?: boolean;
  timeoutMs?: number;
}

type Method = "GET" | "POST" | "DELETE";

export class DaemonClient {
  readonly socket: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #autostart: boolean;
  readonly #timeoutMs: number;
  #versionChecked = false;

  constructor(options: ClientOptions = {}) {
    this.#env = options.env ?? process.env;
    this.socket = options.socket ?? socketPath(this.#env);
    this.#autostart = options.autostart ?? this.#env.DEVSECRETS_NO_AUTOSTART !== "1";
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  health(): Promise<HealthResponse> {
    return this.call("GET", "/v1/health");
  }
  status(): Promise<StatusResponse> {
    return this.call("GET", "/v1/status");
  }
  doctor(): Promise<DoctorResponse> {
    return this.call("GET", "/v1/doctor");
  }
  resolve(request: ResolveRequest): Promise<ResolveResponse> {
    return this.call("POST", "/v1/resolve", request);
  }
  check(request: ResolveRequest): Promise<CheckResponse> {
    return this.call("POST", "/v1/check", request);
  }
  list(request: ListRequest): Promise<ListResponse> {
    return this.call("POST", "/v1/list", request);
  }
  mint(request: MintRequest): Promise<MintResponse> {
    return this.call("POST", "/v1/sandbox/mint", request);
  }
  kinds(): Promise<KindsResponse> {
    return this.call("GET", "/v1/sandbox/kinds");
  }
  jwks(): Promise<JwksResponse> {
    return this.call("GET", "/v1/sandbox/jwks");
  }
  serveJwks(request: JwksServeRequest = {}): Promise<JwksServeResponse> {
    return this.call("POST", "/v1/sandbox/jwks/serve", request);
  }
  login(request: LoginRequest): Promise<LoginResponse> {
    return this.call("POST", "/v1/session", request);
  }
  logout(): Promise<LogoutResponse> {
    return this.call("DELETE", "/v1/session");
  }
  keychainSet(request: KeychainSetRequest): Promise<KeychainChange> {
    return this.call("POST", "/v1/keychain/set", request);
  }
  keychainUnset(request: KeychainNameRequest): Promise<KeychainChange> {
    return this.call("POST", "/v1/keychain/unset", request);
  }
  guardFingerprints(): Promise<FingerprintsResponse> {
    return this.call("POST", "/v1/guard/fingerprints", {});
  }

  /** asks a running daemon to wipe and exit; false when none was running */
  async stop(): Promise<ShutdownResponse | null> {
    try {
      return await this.#exchange("POST", "/v1/daemon/stop", {});
    } catch (error) {
      if (error instanceof SocketUnreachableError) return null;
      throw error;
    }
  }

  async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
    try {
      return await this.#exchange<T>(method, path, body);
    } catch (error) {
      if (!(error instanceof SocketUnreachableError)) throw error;
      if (!this.#autostart) throw unreachable(this.socket, error.errno);
      await this.startDaemon();
      return this.#exchange<T>(method, path, body);
    }
  }

  /** starts a daemon and waits until one (ours or a racing starter's) answers */
  async startDaemon(): Promise<void> {
    const started = spawnDaemon(this.#env);
    const deadline = Date.now() + startTimeoutMs(this.#env);
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
        try {
          await socketRequest({ socket: this.socket, method: "GET", path: "/v1/health", timeoutMs: 2_000 });
          return;
        } catch (error) {
          if (!(error instanceof SocketUnreachableError)) throw error;
        }
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
        `the daemon did not answer on ${this.socket} within ${startTimeoutMs(this.#env)} ms`,
      );
    } finally {
      started.detach();
    }
  }

  async #exchange<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const response = await socketRequest({
      socket: this.socket,
      method,
      path,
      body,
      headers: { [VERSION_HEADER]: PACKAGE_VERSION, "x-devsecrets-pid": String(process.pid) },
      timeoutMs: this.#timeoutMs,
    });
    if (!this.#versionChecked && path !== "/v1/daemon/stop") {
      this.#versionChecked = true;
      const daemonVersion = response.headers[VERSION_HEADER];
      if (daemonVersion && compareVersions(PACKAGE_VERSION, daemonVersion) > 0) {
        // a newer client restarts an older daemon: the old one wipes on its way out
        await this.#exchange("POST", "/v1/daemon/stop", {});
        await waitUntilGone(this.socket);
        return this.call<T>(method, path, body);
      }
    }
    return decode<T>(response);
  }
}

function decode<T>(response: SocketResponse): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    throw new DevsecretsError(
      "DS_INTERNAL",
      `the daemon answered with status ${response.status} and a body that is not JSON`,
    );
  }
  if (response.status >= 200 && response.status < 300) return parsed as T;
  const error = (parsed as { error?: { code?: unknown; message?: unknown; hint?: unknown } }).error;
  if (error && isErrorCode(error.code)) {
    throw new DevsecretsError(error.code, String(error.message ?? error.code), {
      hint: typeof error.hint === "string" ? error.hint : undefined,
    });
  }
  throw new DevsecretsError("DS_INTERNAL", `the daemon answered with status ${response.status}`);
}

function unreachable(socket: string, errno: string): DevsecretsError {
  return new DevsecretsError("DS_DAEMON_UNREACHABLE", `no daemon answers on ${socket} (${errno})`);
}

async function waitUntilGone(socket: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    try {
      await socketRequest({ socket, method: "GET", path: "/v1/health", timeoutMs: 500 });
    } catch (error) {
      if (error instanceof SocketUnreachableError) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "no reason given";
  return line.replace(/^devsecrets:\s*/, "").slice(0, 300);
}
