// The list of sandbox kinds, in the order `devsecrets sandbox kinds` shows them.
// Rule: adding a kind is one module under kinds/ and one line here.

import type { SandboxKind } from "./sandbox-kind.js";
import { awsAccessKey } from "./kinds/aws-access-key.js";
import { awsEndpoint } from "./kinds/aws-endpoint.js";
import { awsSession } from "./kinds/aws-session.js";
import { githubAppInstallation } from "./kinds/github-app-installation.js";
import { githubFineGrained } from "./kinds/github-fine-grained.js";
import { githubPat } from "./kinds/github-pat.js";
import { jwtEs256 } from "./kinds/jwt-es256.js";
import { jwtHs256 } from "./kinds/jwt-hs256.js";
import { jwtRs256 } from "./kinds/jwt-rs256.js";
import { npmToken } from "./kinds/npm-token.js";
import { openaiKey } from "./kinds/openai-key.js";
import { postgresDatabase } from "./kinds/postgres-database.js";
import { postgresRole } from "./kinds/postgres-role.js";
import { redisServer } from "./kinds/redis-server.js";
import { randomBase64 } from "./kinds/random-base64.js";
import { randomHex } from "./kinds/random-hex.js";
import { randomPassword } from "./kinds/random-password.js";
import { sendgridKey } from "./kinds/sendgrid-key.js";
import { slackBot } from "./kinds/slack-bot.js";
import { stripeApiBase } from "./kinds/stripe-api-base.js";
import { stripePublishableKey } from "./kinds/stripe-publishable-key.js";
import { stripeRestrictedKey } from "./kinds/stripe-restricted-key.js";
import { stripeSecretKey } from "./kinds/stripe-secret-key.js";
import { stripeWebhookSecret } from "./kinds/stripe-webhook-secret.js";
import { tlsCa } from "./kinds/tls-ca.js";
import { tlsCert } from "./kinds/tls-cert.js";
import { twilioApiKey } from "./kinds/twilio-api-key.js";
import { twilioAuth } from "./kinds/twilio-auth.js";
import { uuid } from "./kinds/uuid.js";

const KINDS: readonly SandboxKind[] = Object.freeze([
  awsAccessKey,
  awsSession,
  awsEndpoint,
  githubPat,
  githubFineGrained,
  githubAppInstallation,
  jwtHs256,
  jwtRs256,
  jwtEs256,
  npmToken,
  openaiKey,
  postgresDatabase,
  postgresRole,
  randomPassword,
  redisServer,
  randomHex,
  randomBase64,
  sendgridKey,
  slackBot,
  stripeSecretKey,
  stripeApiBase,
  stripePublishableKey,
  stripeRestrictedKey,
  stripeWebhookSecret,
  tlsCa,
  tlsCert,
  twilioAuth,
  twilioApiKey,
  uuid,
]);

const BY_NAME = new Map(KINDS.map((kind) => [kind.kind, kind]));

export function findKind(kind: string): SandboxKind | undefined {
  return BY_NAME.get(kind);
}

export function listKinds(): readonly SandboxKind[] {
  return KINDS;
}
