// Reads a request's JSON body: UTF-8 only, at most a limit, an object or array at the top.
// Rule: a body over the limit is never buffered: its rest is read off and dropped (up to DROP_AT_MOST, as body-parser
// did, so a client still writing gets to read the 413), then refused; failures are DevsecretsErrors with the codes
// body-parser's failures used to map to. Stricter than body-parser:
// "utf8" is accepted beside "utf-8", other charsets (utf-16 included) and any content encoding (gzip) are refused.

import type { IncomingMessage } from "node:http";
import { DevsecretsError } from "../../common/errors.js";

/** beyond this many dropped bytes the connection is cut without reading on: an answer is not worth a flood */
const DROP_AT_MOST = 8 * 1024 * 1024;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;
const FIRST_CHAR = /^[\x20\x09\x0a\x0d]*(.)/s;

/** true when the request carries a body at all (a length, even 0, or chunked), as HTTP defines it */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || req.headers["content-length"] !== undefined;
}

/**
 * The parsed body, or undefined when the request has none; {} for an empty one.
 * Why not body-parser: measured at 10 to 40 µs a request on the resolve path, and the resolve lane
 * (resolve-lane.ts) runs outside express; one reader for both keeps their answers the same.
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  if (!hasBody(req)) return Promise.resolve(undefined);
  const charset = CHARSET.exec(req.headers["content-type"] ?? "")?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
    return Promise.reject(new DevsecretsError("DS_UNSUPPORTED_MEDIA_TYPE", "request body charset must be utf-8"));
  }
  const encoding = req.headers["content-encoding"];
  if (encoding !== undefined && encoding.toLowerCase() !== "identity") {
    return Promise.reject(new DevsecretsError("DS_UNSUPPORTED_MEDIA_TYPE", "request body encoding is not supported"));
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit + DROP_AT_MOST) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    // set once the body is known to be refused: what still comes is counted and dropped, never kept
    let refusal: DevsecretsError | null = declared > limit ? tooLarge(limit) : null;
    const fail = (error: DevsecretsError) => {
      if (settled) return;
      settled = true;
      req.pause();
      reject(error);
    };
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      received += chunk.length;
      if (refusal === null && received > limit) {
        refusal = tooLarge(limit);
        chunks.length = 0;
      }
      if (refusal === null) chunks.push(chunk);
      else if (received > limit + DROP_AT_MOST) fail(refusal);
    });
    req.once("end", () => {
      if (settled) return;
      if (refusal !== null) return fail(refusal);
      settled = true;
      try {
        resolve(
          parse(chunks.length === 1 ? chunks[0]!.toString("utf8") : Buffer.concat(chunks, received).toString("utf8")),
        );
      } catch (error) {
        reject(error);
      }
    });
    req.once("aborted", () => fail(new DevsecretsError("DS_BAD_REQUEST", "request was aborted")));
    req.once("error", () => fail(new DevsecretsError("DS_BAD_REQUEST", "request was aborted")));
  });
}

function tooLarge(limit: number): DevsecretsError {
  return new DevsecretsError("DS_BODY_TOO_LARGE", `request body is larger than ${limit / 1024} KiB`);
}

function parse(text: string): unknown {
  // a BOM is not JSON, but a UTF-8 decoder drops it; so did body-parser
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.length === 0) return {};
  const first = FIRST_CHAR.exec(body)?.[1];
  // strict, as express.json({ strict: true }): an API body is an object (or an array the validator refuses by name)
  if (first !== "{" && first !== "[") throw notJson();
  try {
    return JSON.parse(body);
  } catch {
    throw notJson();
  }
}

function notJson(): DevsecretsError {
  return new DevsecretsError("DS_BAD_REQUEST", "request body is not valid JSON");
}
