// The daemon's request listener once the core exists: the resolve lane at once, express loaded on the first request
// that needs it (a daemon that only serves `run` and the preloads never loads it: ~12 MiB less resident).
// Rule: imports nothing of express itself; app.ts is imported dynamically, once.

import type { RequestListener } from "node:http";
import type { DaemonCore } from "../daemon-api.js";
import type { Logger } from "../log.js";
import { sendFailure } from "./error-handler.js";
import { resolveLane } from "./resolve-lane.js";
import type { TestRoutes } from "./app.js";
import { scopedListener } from "./request-scope.js";

export function lazyApp(
  core: DaemonCore,
  log: Logger,
  onShutdown: () => void,
  version: string,
  testRoutes: TestRoutes = {},
): RequestListener {
  const lane = resolveLane(core, log, version);
  let app: Promise<RequestListener> | null = null;
  // each request in its own scope: an error escaping every catch is answered DS_INTERNAL by daemon/last-resort.ts,
  // and a synchronous throw here is answered as any failure is
  return scopedListener(
    (req, res) => {
      if (lane(req, res)) return;
      app ??= import("./app.js").then((module) => module.createExpressApp(core, log, onShutdown, version, testRoutes));
      app.then(
        (listener) => listener(req, res),
        (error: unknown) => sendFailure(res, error, log, "express"),
      );
    },
    (res, error, req) => sendFailure(res, error, log, (req.url ?? "").split("?")[0] ?? ""),
  );
}
