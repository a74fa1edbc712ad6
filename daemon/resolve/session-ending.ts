// The notice a resolve carries when the logged-in session ends soon, so `run` and the shims can say so in time.
// Rule: given in the last ten minutes of the session; it names the time left and the command that extends it.

import { formatDuration } from "../../common/durations.js";
import type { Notice } from "../protocol/messages.js";

export const ENDING_SOON_MS = 10 * 60 * 1000;

export function sessionEndingNotices(expiresAt: string, now = Date.now()): Notice[] {
  const left = Date.parse(expiresAt) - now;
  if (left >= ENDING_SOON_MS) return [];
  return [
    {
      code: "DS_SESSION_ENDING",
      message: `the session ends in ${formatDuration(Math.round(left / 1000))}; run \`devsecrets login\` to extend it`,
    },
  ];
}
