// doctor's platform-store checks (issue 21): AWS (settings found, profile present, endpoint reachable) and sops (the
// binary, the age identity in the session's store), each with how to fix what is missing.
// Rule: a store nobody configured or uses is a passing line saying so; nothing here prints a key or a value.

import { existsSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { dirname, join } from "node:path";
import { findSops } from "../common/sops-binary.js";
import { DaemonClient } from "../daemon/client/client.js";
import { awsLoginFor } from "./aws-login-settings.js";
import { findProjectConfig } from "./config/config-files.js";
import { asDevsecretsError } from "./output.js";

export interface StoreCheck {
  name: string;
  ok: boolean;
  detail: string;
  hint?: string;
}

/** whether `host:port` accepts a TCP connection within `timeoutMs` */
function reachable(url: string, timeoutMs = 3_000): Promise<boolean> {
  const parsed = new URL(url);
  const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}

/** the profile names of ~/.aws/config ("[profile x]", "[default]") and ~/.aws/credentials ("[x]") */
function awsProfiles(home: string): Set<string> {
  const names = new Set<string>();
  for (const file of ["config", "credentials"]) {
    let text = "";
    try {
      text = readFileSync(join(home, ".aws", file), "utf8");
    } catch {
      continue;
    }
    for (const match of text.matchAll(/^\s*\[\s*(?:profile\s+)?([^\]\s]+)\s*\]/gm)) names.add(match[1] as string);
  }
  return names;
}

export async function awsCheck(env: NodeJS.ProcessEnv = process.env): Promise<StoreCheck> {
  const name = "aws";
  let login: Awaited<ReturnType<typeof awsLoginFor>>;
  try {
    login = await awsLoginFor({ awsProfile: env.DEVSECRETS_AWS_PROFILE, awsRegion: env.DEVSECRETS_AWS_REGION }, env);
  } catch (error) {
    const e = asDevsecretsError(error);
    return { name, ok: false, detail: e.message, hint: e.hint };
  }
  const home = env.HOME ?? "";
  const files =
    home !== "" && (existsSync(join(home, ".aws", "config")) || existsSync(join(home, ".aws", "credentials")));
  if (!login && !files)
    return { name, ok: true, detail: "not configured: aws-sm:// and aws-ssm:// are answered by sandbox values" };
  const parts: string[] = [];
  if (login?.accessKeyId) parts.push("access keys from the environment");
  else if (login?.profile) {
    if (!awsProfiles(home).has(login.profile))
      return {
        name,
        ok: false,
        detail: `profile ${login.profile} is in neither ~/.aws/config nor ~/.aws/credentials`,
        hint: `run \`aws configure --profile ${login.profile}\` (or \`aws configure sso\`), or log in with another --aws-profile`,
      };
    parts.push(`profile ${login.profile}`);
  } else parts.push(files ? "the default profile of ~/.aws" : "no credentials");
  parts.push(login?.region ? `region ${login.region}` : "region from the profile");
  if (login?.endpoint) {
    if (!(await reachable(login.endpoint)))
      return {
        name,
        ok: false,
        detail: `the endpoint ${login.endpoint} does not answer`,
        hint: "start the emulator, or unset AWS_ENDPOINT_URL / the user config's aws.endpoint to use AWS itself",
      };
    parts.push(`endpoint ${login.endpoint} answers`);
  }
  return { name, ok: true, detail: parts.join(", ") };
}

/** whether a devsecrets*.env of the project at `cwd` names sops:// */
async function projectUsesSops(cwd: string): Promise<boolean> {
  const config = await findProjectConfig(cwd);
  if (!config) return false;
  const root = dirname(config);
  for (const file of ["devsecrets.env", "devsecrets.dev.env", "devsecrets.local.env"]) {
    try {
      if (readFileSync(join(root, file), "utf8").includes("sops://")) return true;
    } catch {
      // absent
    }
  }
  return false;
}

export async function sopsChecks(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Promise<StoreCheck[]> {
  const used = await projectUsesSops(cwd);
  const binary = findSops(env);
  const checks: StoreCheck[] = [
    binary
      ? { name: "sops", ok: true, detail: `sops at ${binary}` }
      : {
          name: "sops",
          ok: !used,
          detail: used
            ? "this project uses sops://, and no sops binary was found"
            : "not found (needed for sops:// only)",
          hint: "go install github.com/getsops/sops/v3/cmd/sops@v3.13.3 (or your package manager), or set DEVSECRETS_SOPS",
        },
  ];
  try {
    const { recipient } = await new DaemonClient({ autostart: false, timeoutMs: 3_000 }).sopsKey({ action: "show" });
    checks.push({ name: "age identity", ok: true, detail: `kept in the session's store (recipient ${recipient})` });
  } catch (error) {
    const e = asDevsecretsError(error);
    const missing = e.code === "DS_REF_NOT_FOUND";
    checks.push({
      name: "age identity",
      ok: !(used && missing),
      detail: missing
        ? "none kept for sops://"
        : `not checked (${e.code === "DS_SESSION_NONE" ? "nobody is logged in" : e.code})`,
      hint: "devsecrets sops key generate (then add the recipient to .sops.yaml), or devsecrets sops key import",
    });
  }
  return checks;
}
