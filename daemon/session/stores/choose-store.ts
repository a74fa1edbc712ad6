// Picks the session store for `login --store auto|keychain|memory|file`.
// Rule: auto falls back to memory only when no Secret Service answers at all; a locked keychain is an error, never a fallback.

import { DevsecretsError } from "../../../common/errors.js";
import type { Secret } from "../../../common/secret.js";
import type { SessionStore } from "../session-store.js";
import { KeychainStore } from "./keychain-store.js";
import { MemoryStore } from "./memory-store.js";
import { FileStore, sessionFilePath } from "./file-store.js";

export type RequestedStore = "auto" | "keychain" | "memory" | "file";

export interface ChooseStoreOptions {
  /** environment for the keychain helper (DBUS_SESSION_BUS_ADDRESS) and the file store's default path */
  env?: NodeJS.ProcessEnv;
  /** bound on each keychain call (default 5000 ms) */
  timeoutMs?: number;
  /** required for `file`: the passphrase the CLI read (readPassphrase) and, optionally, the file */
  passphrase?: Secret;
  filePath?: string;
}

export const MEMORY_NOTICE =
  "no OS keychain answers (no Secret Service on D-Bus): the session is kept in memory and ends with the daemon; use `--store file` to keep it across restarts";

export async function chooseStore(
  requested: RequestedStore,
  opts: ChooseStoreOptions = {},
): Promise<{ store: SessionStore; notice?: string }> {
  const env = opts.env ?? process.env;
  switch (requested) {
    case "memory":
      return { store: new MemoryStore() };
    case "file": {
      if (opts.passphrase === undefined) {
        throw new DevsecretsError("DS_USAGE", "the file store needs a passphrase", {
          hint: "run `devsecrets login --store file` on a terminal, or pass the passphrase on the descriptor in DEVSECRETS_PASSPHRASE_FD",
        });
      }
      return { store: new FileStore(opts.filePath ?? sessionFilePath(env), opts.passphrase) };
    }
    case "keychain":
    case "auto": {
      const store = new KeychainStore({ env, ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }) });
      const answer = await store.probe();
      if (answer === "ok") return { store };
      await store.close();
      if (answer === "locked") {
        throw new DevsecretsError("DS_KEYCHAIN_LOCKED", "the keychain is locked");
      }
      if (requested === "keychain") {
        throw new DevsecretsError("DS_KEYCHAIN_UNAVAILABLE", "no Secret Service answers on D-Bus");
      }
      return { store: new MemoryStore(), notice: MEMORY_NOTICE };
    }
  }
}
