// One Vault/OpenBao endpoint spoken to over node:http(s): per-call timeouts, bounded retries, errors as data.
// Rule: a token travels only in the X-Vault-Token header; errors name the address and the path, never a value.
// Written on node:http rather than node-vault, whose one call we used (`request`) cost 3.8 MB installed (axios and its
// tree): the API is JSON over HTTP, /v1/<path>, X-Vault-Token and X-Vault-Namespace.

import { request as httpRequest, type IncomingMessage } from "node:http";
import { DevsecretsError } from "../../../common/errors.js";
import type { Secret } from "../../../common/secret.js";
import { refuseInsecureVault } from "../../../common/vault-address.js";
import { readSettingFile } from "../../../common/read-setting-file.js";

export interface VaultEndpoint {
  address: string;
  namespace?: string;
  /** path of a PEM file with the CA that signed the server's certificate (VAULT_CACERT) */
  caCert?: string;
}

export interface VaultCallOptions {
  /** total time for the call and its retries (default 5 s) */
  budgetMs?: number;
  /** a 404 answers null instead of throwing */
  allowMissing?: boolean;
}

const CALL_TIMEOUT_MS = 2_000;
const BUDGET_MS = 5_000;
const FIRST_BACKOFF_MS = 100;

type Method = "GET" | "POST" | "PUT" | "LIST" | "DELETE";

export interface VaultAnswer {
  data?: Record<string, unknown> | null;
  lease_id?: string;
  lease_duration?: number;
  renewable?: boolean;
  auth?: {
    client_token: string;
    accessor?: string;
    lease_duration: number;
    renewable: boolean;
    policies?: string[];
  } | null;
  warnings?: string[] | null;
  [key: string]: unknown;
}

/** a Vault answer that was not 2xx: its status and its JSON body (`{errors: [...]}`) */
export class VaultAnswerError extends Error {
  readonly response: { statusCode: number; body: unknown };
  constructor(statusCode: number, body: unknown) {
    super(`Vault answered ${statusCode}`);
    this.name = "VaultAnswerError";
    this.response = { statusCode, body };
  }
}

/** the status of a Vault answer that was not 2xx, or null for a failure to reach it at all */
export function vaultStatus(error: unknown): number | null {
  const response = (error as { response?: { statusCode?: unknown } })?.response;
  return typeof response?.statusCode === "number" ? response.statusCode : null;
}

export class VaultHttp {
  readonly endpoint: VaultEndpoint;
  readonly #token: Secret | null;
  #ca: Promise<Buffer | undefined> | null = null;

  constructor(endpoint: VaultEndpoint, token: Secret | null) {
    // every client of an endpoint passes here before any socket exists: no token over plain http off loopback
    refuseInsecureVault(endpoint.address, "the session's Vault address");
    this.endpoint = endpoint;
    this.#token = token;
  }

  /** one exchange: the daemon's own VAULT_TOKEN and VAULT_NAMESPACE are never read, only this endpoint's settings */
  async #send(method: Method, path: string, body: Record<string, unknown> | undefined, timeoutMs: number) {
    // the CA file is a setting the user named: read as one (common/read-setting-file.ts), once
    this.#ca ??= this.endpoint.caCert
      ? readSettingFile(this.endpoint.caCert, "vault.caCert")
      : Promise.resolve(undefined);
    const ca = await this.#ca;
    const base = this.endpoint.address.endsWith("/") ? this.endpoint.address : `${this.endpoint.address}/`;
    const url = new URL(`v1/${path}`, base);
    // LIST as Vault documents it for clients whose HTTP stack knows no LIST method: GET with list=true
    if (method === "LIST") url.searchParams.set("list", "true");
    const payload = body ? JSON.stringify(body) : undefined;
    const headers: Record<string, string> = { accept: "application/json" };
    const token = this.#token?.reveal();
    if (token) headers["x-vault-token"] = token;
    if (this.endpoint.namespace) headers["x-vault-namespace"] = this.endpoint.namespace;
    if (payload !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = String(Buffer.byteLength(payload));
    }
    // node:https (and tls under it) loaded on the first https request, not with the daemon's core: ~7 ms of every
    // start that most sessions never use (bench/cold-start)
    const send = url.protocol === "https:" ? process.getBuiltinModule("node:https").request : httpRequest;
    return new Promise<VaultAnswer>((resolve, reject) => {
      const outgoing = send(
        url,
        { method: method === "LIST" ? "GET" : method, headers, ...(ca ? { ca } : {}) },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", reject);
          response.on("end", () => {
            const status = response.statusCode ?? 0;
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = null;
            try {
              parsed = text ? JSON.parse(text) : null;
            } catch {
              parsed = null;
            }
            if (status >= 200 && status < 300) resolve((parsed ?? {}) as VaultAnswer);
            else reject(new VaultAnswerError(status, parsed));
          });
        },
      );
      outgoing.setTimeout(timeoutMs, () => {
        outgoing.destroy(Object.assign(new Error("Vault did not answer in time"), { code: "ETIMEDOUT" }));
      });
      outgoing.on("error", reject);
      outgoing.end(payload);
    });
  }

  /** a client for the same endpoint that speaks with another token */
  withToken(token: Secret): VaultHttp {
    return new VaultHttp(this.endpoint, token);
  }

  read(path: string, options?: VaultCallOptions): Promise<VaultAnswer | null> {
    return this.call("GET", path, undefined, options);
  }

  write(path: string, body: Record<string, unknown> = {}, options?: VaultCallOptions): Promise<VaultAnswer | null> {
    return this.call("POST", path, body, options);
  }

  list(path: string, options?: VaultCallOptions): Promise<VaultAnswer | null> {
    return this.call("LIST", path, undefined, options);
  }

  /** retries what may pass on its own (no answer, 502/503/504 but sealed) with exponential backoff within the budget */
  async call(
    method: Method,
    path: string,
    body?: Record<string, unknown>,
    options: VaultCallOptions = {},
  ): Promise<VaultAnswer | null> {
    const deadline = Date.now() + (options.budgetMs ?? BUDGET_MS);
    let backoff = FIRST_BACKOFF_MS;
    for (;;) {
      const left = deadline - Date.now();
      try {
        return await this.#send(method, path.replace(/^\/+/, ""), body, Math.max(100, Math.min(CALL_TIMEOUT_MS, left)));
      } catch (error) {
        // ours (DS_SETTING_FILE from the CA file, ...): no retry makes it pass
        if (error instanceof DevsecretsError) throw error;
        // a setting that cannot be read (the CA file) is not a network hiccup: no retry
        if (error instanceof DevsecretsError) throw error;
        const status = vaultStatus(error);
        if (status === 404 && options.allowMissing) return null;
        const transient = status === null || status === 502 || status === 504 || (status === 503 && !isSealed(error));
        if (!transient || Date.now() + backoff >= deadline) throw error;
        await new Promise((r) => setTimeout(r, backoff));
        backoff *= 2;
      }
    }
  }
}

function isSealed(error: unknown): boolean {
  const errors = (error as { response?: { body?: { errors?: unknown } } })?.response?.body?.errors;
  return Array.isArray(errors) && errors.some((e) => typeof e === "string" && /sealed/i.test(e));
}

/** a failure of a call to Vault as the user should meet it; `policyPath` is the ACL path a 403 needs */
export function vaultFailure(
  error: unknown,
  endpoint: VaultEndpoint,
  what: string,
  policyPath?: string,
): DevsecretsError {
  if (error instanceof DevsecretsError) return error;
  const status = vaultStatus(error);
  if (status === null) {
    const code = (error as { code?: string })?.code ?? "no answer";
    return new DevsecretsError(
      "DS_VAULT_UNREACHABLE",
      `cannot reach Vault at ${endpoint.address} for ${what} (${code})`,
      {
        hint: `check that the server at ${endpoint.address} is up (VAULT_ADDR), or run \`devsecrets login --offline\` for sandbox values`,
        cause: error,
      },
    );
  }
  if (status === 503 && isSealed(error)) {
    return new DevsecretsError("DS_VAULT_UNREACHABLE", `Vault at ${endpoint.address} is sealed (${what})`, {
      hint: "unseal it (`bao operator unseal`), or run `devsecrets login --offline` for sandbox values",
    });
  }
  if (status === 403) {
    return new DevsecretsError("DS_VAULT_FORBIDDEN", `Vault at ${endpoint.address} denied ${what} (403)`, {
      hint: policyPath
        ? `ask for a policy that grants it: path "${policyPath}" { capabilities = ["read"] }`
        : "the session's token may have expired or lacks a policy: run `devsecrets login` again",
    });
  }
  if (status === 404)
    return new DevsecretsError("DS_REF_NOT_FOUND", `Vault at ${endpoint.address} has nothing at ${what}`, {
      hint: "check the mount and path (`bao kv list`)",
    });
  return new DevsecretsError("DS_VAULT_ERROR", `Vault at ${endpoint.address} answered ${status} for ${what}`);
}
