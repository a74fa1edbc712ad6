// A server-sent-events subscriber on the daemon's Unix socket (`GET /v1/events`), for tests and benchmarks.
// Rule: it only listens (an open subscription must not count as activity); close() ends the connection it opened.

import { request, type ClientRequest, type IncomingMessage } from "node:http";

export interface SseEvent {
  /** the `event:` field (`wipe`, `rotate`); "message" when the server sent none */
  event: string;
  /** the `data:` lines joined with "\n" */
  data: string;
}

export interface SseSubscriber {
  /** every event received so far, in order */
  readonly events: SseEvent[];
  /** the first event of this type not yet taken by next(), waiting up to timeoutMs for it */
  next(type: string, timeoutMs?: number): Promise<SseEvent>;
  /** the parsed `data` of next(type) */
  nextData<T = unknown>(type: string, timeoutMs?: number): Promise<T>;
  close(): void;
}

/** parses complete SSE blocks out of `buffer`; returns the events and the unparsed rest */
export function parseSse(buffer: string): { events: SseEvent[]; rest: string } {
  const events: SseEvent[] = [];
  const text = buffer.replace(/\r\n?/g, "\n");
  const blocks = text.split("\n\n");
  const rest = blocks.pop() ?? "";
  for (const block of blocks) {
    let event = "message";
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "data") data.push(value);
    }
    if (data.length > 0) events.push({ event, data: data.join("\n") });
  }
  return { events, rest };
}

/** connects, and resolves once the daemon answered 200 text/event-stream (the subscription is then registered) */
export function subscribeEvents(socket: string, options: { timeoutMs?: number } = {}): Promise<SseSubscriber> {
  const events: SseEvent[] = [];
  let taken = 0;
  const waiters = new Set<() => void>();
  let closed = false;
  let req: ClientRequest | undefined;
  let res: IncomingMessage | undefined;

  const wake = (): void => {
    for (const w of [...waiters]) w();
  };

  const subscriber: SseSubscriber = {
    events,
    next(type, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          for (let i = taken; i < events.length; i++) {
            const e = events[i] as SseEvent;
            if (e.event === type) {
              taken = i + 1;
              resolve(e);
              return true;
            }
          }
          if (closed) {
            reject(new Error(`the event stream closed before a "${type}" event (got ${JSON.stringify(events)})`));
            return true;
          }
          return false;
        };
        if (check()) return;
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no "${type}" event within ${timeoutMs} ms (got ${JSON.stringify(events)})`));
        }, timeoutMs);
        const waiter = (): void => {
          if (check()) {
            clearTimeout(timer);
            waiters.delete(waiter);
          }
        };
        waiters.add(waiter);
      });
    },
    async nextData<T>(type: string, timeoutMs?: number): Promise<T> {
      return JSON.parse((await subscriber.next(type, timeoutMs)).data) as T;
    },
    close() {
      closed = true;
      res?.destroy();
      req?.destroy();
      wake();
    },
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscriber.close();
      reject(new Error(`GET /v1/events did not answer within ${options.timeoutMs ?? 5000} ms`));
    }, options.timeoutMs ?? 5000);
    req = request(
      { socketPath: socket, path: "/v1/events", method: "GET", headers: { Accept: "text/event-stream" } },
      (response) => {
        res = response;
        clearTimeout(timer);
        const type = String(response.headers["content-type"] ?? "");
        if (response.statusCode !== 200 || !type.startsWith("text/event-stream")) {
          subscriber.close();
          reject(new Error(`GET /v1/events answered ${response.statusCode} ${type}`));
          return;
        }
        let buffer = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          const parsed = parseSse(buffer + chunk);
          buffer = parsed.rest;
          if (parsed.events.length > 0) {
            events.push(...parsed.events);
            wake();
          }
        });
        response.on("close", () => {
          closed = true;
          wake();
        });
        resolve(subscriber);
      },
    );
    req.on("error", (error) => {
      clearTimeout(timer);
      closed = true;
      wake();
      reject(error);
    });
    req.end();
  });
}
