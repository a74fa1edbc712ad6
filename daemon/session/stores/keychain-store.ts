// Session store in the OS keychain (Secret Service on Linux) through @napi-rs/keyring, run in a helper process.
// Rule: service `devsecrets`, account `session` for the record, `<projectId>/<NAME>` for values; values leave only as keychain items.

import { randomBytes } from "node:crypto";
import { Secret } from "../../../common/secret.js";
import { isDevsecretsError } from "../../../common/errors.js";
import type { SessionRecord, SessionStore } from "../session-store.js";
import { KeychainClient, type KeychainClientOptions } from "./keychain-client.js";
import { PROBE_ACCOUNT, SESSION_ACCOUNT } from "./keychain-helper-protocol.js";
import { valueAccount } from "./keychain-names.js";
import { decodeSessionRecord, encodeSessionRecord } from "./session-record-codec.js";

export type KeychainProbe = "ok" | "locked" | "unavailable";

export class KeychainStore implements SessionStore {
  readonly kind = "keychain" as const;
  readonly #client: KeychainClient;

  constructor(options: KeychainClientOptions = {}) {
    this.#client = new KeychainClient(options);
  }

  /** the helper process's pid while it runs */
  get helperPid(): number | undefined {
    return this.#client.pid;
  }

  async saveSession(record: SessionRecord): Promise<void> {
    await this.#client.call("set", SESSION_ACCOUNT, "saving the session", JSON.stringify(encodeSessionRecord(record)));
  }

  async loadSession(): Promise<SessionRecord | null> {
    const text = await this.#client.call("get", SESSION_ACCOUNT, "loading the session");
    if (typeof text !== "string") return null;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    return decodeSessionRecord(data, "the keychain item devsecrets/session");
  }

  async removeSession(): Promise<void> {
    await this.#client.call("delete", SESSION_ACCOUNT, "removing the session");
  }

  async getValue(projectId: string, name: string): Promise<Secret | null> {
    const account = valueAccount(projectId, name);
    const text = await this.#client.call("get", account, `reading keychain://${account.slice(17)}`);
    return typeof text === "string" ? new Secret(text) : null;
  }

  async setValue(projectId: string, name: string, value: Secret): Promise<void> {
    const account = valueAccount(projectId, name);
    await this.#client.call("set", account, `storing keychain://${account.slice(17)}`, value.reveal());
  }

  async removeValue(projectId: string, name: string): Promise<boolean> {
    const account = valueAccount(projectId, name);
    return (await this.#client.call("delete", account, `removing keychain://${account.slice(17)}`)) === true;
  }

  /**
   * whether a Secret Service answers and will let us write. A read of a missing item answers even when the collection
   * is locked (searching needs no unlock), so after the read the probe writes and deletes a throwaway item.
   */
  async probe(): Promise<KeychainProbe> {
    try {
      await this.#client.call("get", PROBE_ACCOUNT, "probing the keychain");
      await this.#client.call("set", PROBE_ACCOUNT, "probing the keychain", randomBytes(8).toString("hex"));
      await this.#client.call("delete", PROBE_ACCOUNT, "probing the keychain");
      return "ok";
    } catch (error) {
      if (isDevsecretsError(error) && error.code === "DS_KEYCHAIN_LOCKED") return "locked";
      if (isDevsecretsError(error) && error.code === "DS_KEYCHAIN_UNAVAILABLE") return "unavailable";
      throw error;
    }
  }

  /** stops the helper process; the store can be used again afterwards (a new helper starts) */
  async close(): Promise<void> {
    await this.#client.close();
  }
}
