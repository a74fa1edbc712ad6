// The AWS settings of a session: what `login` sent (profile, region, endpoint, access keys), kept in the session's
// record so that a keychain or file session resumed after a restart keeps them.
// Rule: access keys are Secrets in the record (its store encrypts or keeps them), never in a log or the journal.

import { existsSync } from "node:fs";
import { join } from "node:path";
import { Secret } from "../../../common/secret.js";
import type { LoginRequest } from "../../protocol/messages.js";
import type { SessionRecord } from "../../session/session-store.js";

export interface AwsSettings {
  profile: string | null;
  region: string | null;
  endpoint: string | null;
  accessKeyId: string | null;
  secretAccessKey: Secret | null;
  sessionToken: Secret | null;
}

/** adds the login's AWS settings to the record before it is saved; a login without any keeps what was there */
export function recordAwsLogin(request: LoginRequest, record: SessionRecord): void {
  const aws = request.aws;
  if (!aws) return;
  const extra = (record.extra ??= {});
  extra.awsProfile = aws.profile ?? null;
  extra.awsRegion = aws.region ?? null;
  extra.awsEndpoint = aws.endpoint ?? null;
  extra.awsAccessKeyId = aws.accessKeyId ?? null;
  extra.awsSecretAccessKey = aws.secretAccessKey !== undefined ? new Secret(aws.secretAccessKey) : null;
  extra.awsSessionToken = aws.sessionToken !== undefined ? new Secret(aws.sessionToken) : null;
}

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const secret = (value: unknown): Secret | null =>
  value instanceof Secret ? value : typeof value === "string" && value !== "" ? new Secret(value) : null;

/**
 * the session's AWS settings, or null when AWS is not configured at all: the login sent nothing and the daemon's
 * HOME has neither ~/.aws/config nor ~/.aws/credentials (then references get a sandbox stand-in)
 */
export function awsSettingsOf(record: SessionRecord, env: NodeJS.ProcessEnv): AwsSettings | null {
  const extra = record.extra ?? {};
  const settings: AwsSettings = {
    profile: text(extra.awsProfile),
    region: text(extra.awsRegion),
    endpoint: text(extra.awsEndpoint),
    accessKeyId: text(extra.awsAccessKeyId),
    secretAccessKey: secret(extra.awsSecretAccessKey),
    sessionToken: secret(extra.awsSessionToken),
  };
  const sent = Object.values(settings).some((value) => value !== null);
  if (sent) return settings;
  const home = env.HOME;
  if (home && (existsSync(join(home, ".aws", "config")) || existsSync(join(home, ".aws", "credentials"))))
    return settings;
  return null;
}
