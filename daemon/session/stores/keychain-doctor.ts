// `GET /v1/doctor`'s keychain part: what `login --store auto` would meet, probed in the daemon's own environment.
// Rule: bounded, so a bus that takes calls and never answers still gets a verdict; only a throwaway item is written.

import type { DoctorResponse } from "../../protocol/messages.js";
import { KeychainStore } from "./keychain-store.js";

// below login's 5 s, above what a helper's start-up and three calls take on a busy machine
export const KEYCHAIN_PROBE_MS = 4_000;

/** a probe that fails otherwise than locked or unavailable throws its DevsecretsError */
export async function probeKeychain(env: NodeJS.ProcessEnv): Promise<DoctorResponse["keychain"]> {
  const store = new KeychainStore({ env, timeoutMs: KEYCHAIN_PROBE_MS });
  try {
    const probe = await store.probe();
    return {
      probe,
      autoStore: probe === "ok" ? "keychain" : probe === "unavailable" ? "memory" : null,
      bus: env.DBUS_SESSION_BUS_ADDRESS || null,
      timeoutMs: KEYCHAIN_PROBE_MS,
    };
  } finally {
    await store.close();
  }
}
