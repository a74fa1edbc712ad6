// One Vault/OpenBao endpoint spoken to through node-vault: per-call timeouts, bounded retries, errors as data.
// Rule: a token travels only in the X-Vault-Token header; errors name the address and the path, never a value.

import type nodeVault from "node-vault";
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

/** the status of a Vault answer that was not 2xx, or null for a failure to reach it at all */
export function vaultStatus(error: unknown): number | null {
  const response = (error as { response?: { statusCode?: unknown } })?.response;
  return typeof response?.statusCode === "number" ? response.statusCode : null;
}

export class VaultHttp {
  readonly endpoint: VaultEndpoint;
  readonly #token: Secret | null;
  #client: Promise<ReturnType<typeof nodeVault>> | null = null;

  constructor(endpoint: VaultEndpoint, token: Secret | null) {
    // every client of an endpoint passes here before node-vault exists: no token over plain http off loopback
    refuseInsecureVault(endpoint.address, "the session's Vault address");
    this.endpoint = endpoint;
    this.#token = token;
  }

  /** node-vault loads with the first call, not at daemon start */
  #connect(): Promise<ReturnType<typeof nodeVault>> {
    this.#client ??= this.#create();
    return this.#client;
  }

  async #create(): Promise<ReturnType<typeof nodeVault>> {
    const { default: createClient } = await import("node-vault");
    const endpoint = this.endpoint;
    const token = this.#token;
    const ca = endpoint.caCert ? await readSettingFile(endpoint.caCert, "vault.caCert") : undefined;
    const client = createClient({
      endpoint: endpoint.address,
      ...(endpoint.namespace ? { namespace: endpoint.namespace } : {}),
      // node-vault falls back to VAULT_TOKEN from the environment: an explicit empty token keeps it out
      token: token?.reveal() ?? "",
      requestOptions: { timeout: CALL_TIMEOUT_MS, ...(ca ? { ca } : {}) },
    });
    if (!token) client.token = "";
    // and to the daemon's own VAULT_NAMESPACE: the login request's settings are the only ones
    (client as { namespace?: string }).namespace = endpoint.namespace ?? "";
    return client;
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
        const client = await this.#connect();
        const answer = await client.request({
          path: `/${path}`,
          method,
          ...(body ? { json: body } : {}),
          timeout: Math.max(100, Math.min(CALL_TIMEOUT_MS, left)),
        });
        return (answer ?? {}) as VaultAnswer;
      } catch (error) {
        // ours (DS_SETTING_FILE from the CA file, ...): no retry makes it pass
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
