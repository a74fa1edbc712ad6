// One output stream of the child, masked on its way to ours: what the masker lets go is written at once, in order.
// Rule: a short held prefix (fewer than 4 bytes, a prompt's tail) goes out after 50 ms of silence; a longer one waits.

import type { Writable } from "node:stream";
import type { Masker } from "../../common/masking/masker.js";

/** below this many held bytes, silence releases them: a prompt is never stuck behind a possible secret */
const RELEASE_BELOW = 4;
const SILENCE_MS = 50;

export interface MaskedOutput {
  /** false when `out` is full: pause the source until `out` drains */
  write(chunk: Buffer): boolean;
  /** the source ended: flush what is held, masked */
  end(): void;
}

export function maskedOutput(masker: Masker, out: Writable, onClosed: () => void): MaskedOutput {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  // our reader went away (`| head`): stop writing, let the child find out by its own EPIPE
  out.on("error", () => {
    if (closed) return;
    closed = true;
    onClosed();
  });
  const send = (bytes: Buffer): boolean => (closed || bytes.length === 0 ? true : out.write(bytes));
  const release = () => {
    timer = undefined;
    if (masker.pending > 0 && masker.pending < RELEASE_BELOW) send(masker.flush());
  };
  return {
    write(chunk) {
      const ok = send(masker.push(chunk));
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (masker.pending > 0 && masker.pending < RELEASE_BELOW) {
        timer = setTimeout(release, SILENCE_MS);
        timer.unref();
      }
      return ok;
    },
    end() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      send(masker.end());
    },
  };
}
