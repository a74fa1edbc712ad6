// Logging in to Vault/OpenBao at `devsecrets login`: token (then a child token), approle or userpass.
// Rule: the session works on a token it may revoke; the user's own token is used only when no child can be made, and is never revoked.

import { DevsecretsError } from "../../../common/errors.js";
import { Secret } from "../../../common/secret.js";
import { refuseInsecureVault } from "../../../common/vault-address.js";
import type { VaultLogin } from "../../protocol/messages.js";
import { VaultHttp, vaultFailure, vaultStatus, type VaultEndpoint } from "./vault-http.js";

export interface SessionToken {
  token: Secret;
  /** true: the session made this token (child, approle, userpass) and revokes it at the end; false: the user's own */
  owned: boolean;
  /** seconds the token lives from now (0: no expiry) */
  ttlSeconds: number;
  renewable: boolean;
  notice?: string;
}

/** the endpoint of a login; DS_VAULT_INSECURE for plain http to a host that is not loopback, before any socket */
export function endpointOf(login: Pick<VaultLogin, "address" | "namespace" | "caCert">): VaultEndpoint {
  refuseInsecureVault(login.address, "the login's Vault address");
  return {
    address: login.address,
    ...(login.namespace ? { namespace: login.namespace } : {}),
    ...(login.caCert ? { caCert: login.caCert } : {}),
  };
}

export async function authenticate(
  login: VaultLogin,
  sessionTtlSeconds: number,
  sessionId: string,
): Promise<SessionToken> {
  const endpoint = endpointOf(login);
  if (login.auth === "token") return childToken(endpoint, new Secret(login.token ?? ""), sessionTtlSeconds, sessionId);
  const mount = login.mount ?? login.auth;
  const anonymous = new VaultHttp(endpoint, null);
  const path =
    login.auth === "approle"
      ? `auth/${mount}/login`
      : `auth/${mount}/login/${encodeURIComponent(login.username ?? "")}`;
  const body =
    login.auth === "approle" ? { role_id: login.roleId, secret_id: login.secretId } : { password: login.password };
  let answer;
  try {
    answer = await anonymous.write(path, body);
  } catch (error) {
    const status = vaultStatus(error);
    if (status === 400 || status === 401 || status === 403) {
      throw new DevsecretsError(
        "DS_VAULT_AUTH",
        `Vault at ${login.address} refused the ${login.auth} login at auth/${mount} (${status})`,
        {
          hint:
            login.auth === "approle"
              ? "check VAULT_ROLE_ID / VAULT_SECRET_ID and the approle mount"
              : "check the user name, the password and the userpass mount",
        },
      );
    }
    throw vaultFailure(error, endpoint, `the ${login.auth} login at auth/${mount}`);
  }
  const auth = answer?.auth;
  if (!auth?.client_token)
    throw new DevsecretsError(
      "DS_VAULT_ERROR",
      `Vault at ${login.address} answered the ${login.auth} login without a token`,
    );
  return {
    token: new Secret(auth.client_token),
    owned: true,
    ttlSeconds: auth.lease_duration,
    renewable: auth.renewable,
  };
}

/** a child of the user's token bounded by the session's TTL, so revoking it revokes every lease made with it */
async function childToken(
  endpoint: VaultEndpoint,
  token: Secret,
  ttlSeconds: number,
  sessionId: string,
): Promise<SessionToken> {
  const user = new VaultHttp(endpoint, token);
  const address = endpoint.address;
  let self;
  try {
    self = await user.read("auth/token/lookup-self");
  } catch (error) {
    if (vaultStatus(error) === 403 || vaultStatus(error) === 401) {
      throw new DevsecretsError(
        "DS_VAULT_AUTH",
        `Vault at ${address} does not accept the token (lookup-self answered ${vaultStatus(error)})`,
        {
          hint: "log in to Vault again (`bao login`), or set VAULT_TOKEN to a valid token",
        },
      );
    }
    throw vaultFailure(error, user.endpoint, "the token lookup");
  }
  try {
    const answer = await user.write("auth/token/create", {
      ttl: `${ttlSeconds}s`,
      renewable: true,
      display_name: "devsecrets",
      meta: { devsecrets_session: sessionId },
    });
    const auth = answer?.auth;
    if (!auth?.client_token)
      throw new DevsecretsError("DS_VAULT_ERROR", `Vault at ${address} answered auth/token/create without a token`);
    return {
      token: new Secret(auth.client_token),
      owned: true,
      ttlSeconds: auth.lease_duration,
      renewable: auth.renewable,
    };
  } catch (error) {
    if (vaultStatus(error) !== 403) throw vaultFailure(error, user.endpoint, "auth/token/create");
    const data = (self?.data ?? {}) as { ttl?: number; renewable?: boolean };
    return {
      token,
      owned: false,
      ttlSeconds: data.ttl ?? 0,
      renewable: false,
      notice: `Vault at ${address}: your token's policy does not allow auth/token/create, so the session uses your own token; logout revokes the session's leases one by one and leaves your token alone`,
    };
  }
}
