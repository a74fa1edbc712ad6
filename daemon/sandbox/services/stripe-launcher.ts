// stripe-mock for sandbox://stripe/api-base: Stripe's official API mock on a Unix socket in its private folder,
// fronted by the daemon's loopback proxy.
// Rule: nothing is enforced (stripe-mock accepts any well-formed test key); docs/sandbox.md says so.

import { join } from "node:path";
import { findServiceBinary, type ServiceProgram } from "./find-binary.js";
import type { ServiceLauncher } from "./service-manager.js";
import { answersOnSocket } from "./socket-probe.js";

export const STRIPE_PROGRAM: ServiceProgram = {
  service: "stripe",
  program: "stripe-mock",
  install: "go install github.com/stripe/stripe-mock@latest",
  goBin: true,
};

export const stripeLauncher: ServiceLauncher = {
  service: "stripe",
  kind: "stripe/api-base",
  program: STRIPE_PROGRAM,
  async prepare(dir, env) {
    const command = findServiceBinary(STRIPE_PROGRAM, env);
    const socket = join(dir, "stripe.sock");
    return { spawn: { command, args: ["-http-unix", socket], cwd: dir }, socket, values: {} };
  },
  ready: (socket) => httpAnswers(socket),
};

/** whether an HTTP server answers on the Unix socket (any status line) */
export function httpAnswers(socket: string): Promise<boolean> {
  return answersOnSocket(socket, "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n", (reply) => reply.startsWith("HTTP/1."));
}
