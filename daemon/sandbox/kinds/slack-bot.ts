// sandbox://slack/bot: a bot user OAuth token, xoxb-<team digits>-<bot digits>-<24 base62>.
// Rule: the layout Slack issues (https://api.slack.com/authentication/token-types); slack.com answers invalid_auth.

import type { SandboxKind } from "../sandbox-kind.js";
import { singleValue } from "../minted.js";
import { BASE62, DIGITS, randomString } from "../random.js";

/** a 13-digit id, as Slack's current team and user ids are, never starting with 0 */
function slackNumber(): string {
  return randomString("123456789", 1) + randomString(DIGITS, 12);
}

export const slackBot: SandboxKind = {
  kind: "slack/bot",
  summary: "bot token: xoxb- + 13 digits + - + 13 digits + - + 24 base62 (57 chars)",
  fields: ["value"],
  options: {},
  mint() {
    return singleValue(`xoxb-${slackNumber()}-${slackNumber()}-${randomString(BASE62, 24)}`);
  },
};
