// Child process that makes the @napi-rs/keyring calls for the daemon, one IPC message per call.
// Rule: the native calls can block their thread for good (a bus that accepts but never answers), so they never run in
// the daemon: the parent bounds each call and kills this process by pid. It never logs; passwords travel only over IPC.

import { AsyncEntry } from "@napi-rs/keyring";
import { hardenProcess } from "../../../common/process-hygiene.js";
import type { HelperRequest, HelperResponse } from "./keychain-helper-protocol.js";
import { KEYCHAIN_SERVICE } from "./keychain-helper-protocol.js";

// before any password is in this process: the daemon's hardening, which a fork does not inherit (exec resets dumpable)
const hygiene = hardenProcess();

// pinned: unpinned, the library silently falls back to the kernel keyring when no Secret Service answers
const OPTIONS = { linux: { store: "secret-service" as const } };

async function handle(req: HelperRequest): Promise<HelperResponse> {
  if (req.op === "hygiene") return { id: req.id, ok: true, value: hygiene.applied.join(",") };
  try {
    const entry = new AsyncEntry(KEYCHAIN_SERVICE, req.account, OPTIONS);
    switch (req.op) {
      case "get":
        return { id: req.id, ok: true, value: await entry.getPassword() };
      case "set":
        await entry.setPassword(req.password ?? "");
        return { id: req.id, ok: true, value: null };
      case "delete":
        return { id: req.id, ok: true, value: await entry.deleteCredential() };
      default:
        return { id: req.id, ok: false, message: "unknown operation", code: "" };
    }
  } catch (error) {
    const e = error as { message?: unknown; code?: unknown };
    return { id: req.id, ok: false, message: String(e?.message ?? error), code: String(e?.code ?? "") };
  }
}

process.on("message", (msg: HelperRequest) => {
  void handle(msg).then((res) => process.send?.(res));
});
// the daemon went away: nothing more will be asked
process.on("disconnect", () => process.exit(0));
