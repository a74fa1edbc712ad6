// One unref'd subscription to GET /v1/events (server-sent events) over the daemon's socket, for the Node preloads.
// Rule: the socket never holds the process open; a daemon without the route (404) means no subscription, silently;
// the answer's head is read by http-exchange.ts, as every other answer's; an unsafe socket folder (socket-check.ts)
// means no subscription either: nothing is sent, and the first resolve already said why.

import { connect, type Socket } from "node:net";
import { EVENTS } from "../protocol/routes.js";
import { PACKAGE_VERSION, VERSION_HEADER } from "../protocol/version.js";
import { HEADER_END, parseHead } from "./http-exchange.js";
import { checkSocketFolder } from "./socket-check.js";

export interface DaemonEventMessage {
  event: string;
  data: unknown;
}

export interface Subscription {
  close(): void;
}

export interface SubscriptionHandlers {
  /** every named event with its parsed data */
  onEvent(message: DaemonEventMessage): void;
  /** the daemon accepted the subscription (200) */
  onOpen?(): void;
  /** once, when the stream is over (or was refused) */
  onEnd?(): void;
}

export function subscribeEvents(socketPath: string, handlers: SubscriptionHandlers): Subscription {
  const { onEvent, onOpen, onEnd } = handlers;
  try {
    checkSocketFolder(socketPath);
  } catch {
    queueMicrotask(() => onEnd?.());
    return { close() {} };
  }
  const socket: Socket = connect(socketPath);
  socket.unref();
  let head: Buffer | null = Buffer.alloc(0);
  let chunked = false;
  let raw = Buffer.alloc(0); // body bytes not yet de-chunked
  let text = ""; // de-chunked event-stream text not yet split into events
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    socket.destroy();
    onEnd?.();
  };

  socket.on("connect", () => {
    socket.write(
      `${EVENTS.method} ${EVENTS.path} HTTP/1.1\r\nHost: devsecrets\r\nAccept: text/event-stream\r\n${VERSION_HEADER}: ${PACKAGE_VERSION}${HEADER_END}`,
    );
  });
  socket.on("data", (chunk: Buffer) => {
    if (head) {
      head = Buffer.concat([head, chunk]);
      const at = head.indexOf(HEADER_END);
      if (at < 0) return;
      const { status, headers } = parseHead(head.subarray(0, at).toString("latin1"));
      if (status !== 200) return end();
      chunked = /^chunked/i.test(headers["transfer-encoding"] ?? "");
      onOpen?.();
      chunk = head.subarray(at + HEADER_END.length);
      head = null;
    }
    if (chunked) {
      raw = Buffer.concat([raw, chunk]);
      for (;;) {
        const lineEnd = raw.indexOf("\r\n");
        if (lineEnd < 0) break;
        const size = Number.parseInt(raw.subarray(0, lineEnd).toString("latin1"), 16);
        if (!Number.isFinite(size)) return end();
        if (size === 0) return end();
        if (raw.length < lineEnd + 2 + size + 2) break;
        text += raw.subarray(lineEnd + 2, lineEnd + 2 + size).toString("utf8");
        raw = raw.subarray(lineEnd + 2 + size + 2);
      }
    } else {
      text += chunk.toString("utf8");
    }
    text = text.replace(/\r\n?/g, "\n");
    let split: number;
    while ((split = text.indexOf("\n\n")) >= 0) {
      const block = text.slice(0, split);
      text = text.slice(split + 2);
      const message = parseBlock(block);
      if (message) onEvent(message);
    }
  });
  socket.on("end", end);
  socket.on("close", end);
  socket.on("error", end);
  return { close: end };
}

function parseBlock(block: string): DaemonEventMessage | null {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (line === "" || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (data.length === 0) return null;
  try {
    return { event, data: JSON.parse(data.join("\n")) };
  } catch {
    return null;
  }
}
