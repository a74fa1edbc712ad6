// What `devsecrets login` tells the daemon about AWS (DESIGN "Platform stores"): the profile and region from the flags
// (or the variables named in their options), then AWS_PROFILE/AWS_REGION, then the user config; the endpoint from
// AWS_ENDPOINT_URL, then the user config's aws.endpoint; access keys from the user's own environment. The daemon reads
// ~/.aws/* itself.
// Rule: a project file never chooses any of these: its settings could send the user's credentials elsewhere.

import { DevsecretsError } from "../common/errors.js";
import type { AwsLogin } from "../daemon/protocol/messages.js";
import { readFile } from "node:fs/promises";
import { userConfigPath } from "./config/config-files.js";

export interface AwsFlags {
  awsProfile?: string;
  awsRegion?: string;
}

interface UserAws {
  profile?: string;
  region?: string;
  endpoint?: string;
}

async function userAws(env: NodeJS.ProcessEnv): Promise<UserAws> {
  const path = userConfigPath(env);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new DevsecretsError("DS_CONFIG_INVALID", `${path}: not a readable JSON file`);
  }
  const aws = (data as { aws?: unknown } | null)?.aws;
  if (aws === undefined) return {};
  if (typeof aws !== "object" || aws === null || Array.isArray(aws))
    throw new DevsecretsError("DS_CONFIG_INVALID", `${path}: "aws" must be an object`);
  const out: UserAws = {};
  for (const key of ["profile", "region", "endpoint"] as const) {
    const value = (aws as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== "string" || value === "")
      throw new DevsecretsError("DS_CONFIG_INVALID", `${path}: "aws.${key}" must be a non-empty string`);
    out[key] = value;
  }
  return out;
}

const nonEmpty = (value: string | undefined): string | undefined => (value ? value : undefined);

/** the login body's aws part, or undefined when nothing about AWS is set anywhere the CLI looks */
export async function awsLoginFor(flags: AwsFlags, env: NodeJS.ProcessEnv): Promise<AwsLogin | undefined> {
  const config = await userAws(env);
  const login: AwsLogin = {};
  const profile = nonEmpty(flags.awsProfile) ?? nonEmpty(env.AWS_PROFILE) ?? config.profile;
  const region =
    nonEmpty(flags.awsRegion) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? config.region;
  const endpoint = nonEmpty(env.AWS_ENDPOINT_URL) ?? config.endpoint;
  if (profile) login.profile = profile;
  if (region) login.region = region;
  if (endpoint) login.endpoint = endpoint;
  // keys in the environment are what the AWS CLI would use first; a profile named explicitly wins over them
  const keyId = nonEmpty(env.AWS_ACCESS_KEY_ID);
  const secret = nonEmpty(env.AWS_SECRET_ACCESS_KEY);
  if (keyId && secret && !flags.awsProfile) {
    login.accessKeyId = keyId;
    login.secretAccessKey = secret;
    const token = nonEmpty(env.AWS_SESSION_TOKEN);
    if (token) login.sessionToken = token;
  }
  return Object.keys(login).length > 0 ? login : undefined;
}
