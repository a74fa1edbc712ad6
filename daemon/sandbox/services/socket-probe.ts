// Readiness of a service on its private Unix socket: send one request, read up to the first line, judge that line.
// Rule: any failure, close or a second of silence is "not ready" (the caller polls within its own bound).

import { createConnection } from "node:net";

export function answersOnSocket(
  socket: string,
  request: string,
  accepts: (reply: string) => boolean,
): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = createConnection(socket);
    let reply = "";
    const done = (ok: boolean) => {
      connection.destroy();
      resolve(ok);
    };
    connection.setTimeout(1_000, () => done(false));
    connection.on("error", () => done(false));
    connection.on("connect", () => connection.write(request));
    connection.on("data", (chunk) => {
      reply += chunk.toString("latin1");
      if (reply.includes("\r\n")) done(accepts(reply));
    });
  });
}
