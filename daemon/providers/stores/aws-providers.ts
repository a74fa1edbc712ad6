// aws-sm://NAME[?version-stage=|version-id=][#FIELD] (Secrets Manager) and aws-ssm:///PATH (Parameter Store, SecureString
// decrypted), fetched with the session's AWS settings: one fetch per secret for the session, shared by its fields.
// Rule: offline, no login, no AWS configured or production in a dev session: a sandbox stand-in with DS_STORE_SANDBOX,
// and the store is never asked. Failures are coded (aws-errors.ts), never the SDK's stack.

import { Secret } from "../../../common/secret.js";
import type { Provider, ResolveContext } from "../../resolve/provider.js";
import type { ProductionPattern } from "../../resolve/production-paths.js";
import { valueIdentity, type Reference } from "../../resolve/reference.js";
import type { SessionRecord } from "../../session/session-store.js";
import type { AwsClients } from "./aws-clients.js";
import { loadAwsSdk } from "./aws-clients.js";
import { awsFailure } from "./aws-errors.js";
import { awsSettingsOf, type AwsSettings } from "./aws-login.js";
import { selectStoreField } from "./secret-fields.js";
import type { WatchedSecret } from "./aws-watcher.js";
import { productionReason, storeStandIn } from "./store-guard.js";

export interface AwsProviderDeps {
  clients: AwsClients;
  /** the logged-in session's record when `servingId` is that session, else null (anonymous) */
  login: (servingId: string) => SessionRecord | null;
  /** the session logged in with --offline (or DEVSECRETS_OFFLINE) */
  offline: (servingId: string) => boolean;
  /** the daemon's environment: HOME, for ~/.aws */
  env: NodeJS.ProcessEnv;
  production?: { patterns(): ProductionPattern[] };
  /** an aws-sm:// secret or aws-ssm:// parameter served to a project: rotation watches it while someone subscribes (aws-watcher.ts) */
  watch?: (secret: WatchedSecret) => void;
}

interface StoreValue {
  text: Secret;
  versionId: string | null;
}

type Fetch = (
  deps: AwsProviderDeps,
  record: SessionRecord,
  settings: AwsSettings,
  ref: Reference,
) => Promise<StoreValue>;

const fetchSecret: Fetch = async (deps, record, settings, ref) => {
  const { GetSecretValueCommand } = await loadAwsSdk();
  const client = await deps.clients.secretsManager(record.id, settings, ref.query.region ?? null);
  const answer = await client.send(
    new GetSecretValueCommand({
      SecretId: ref.path,
      ...(ref.query["version-stage"] ? { VersionStage: ref.query["version-stage"] } : {}),
      ...(ref.query["version-id"] ? { VersionId: ref.query["version-id"] } : {}),
    }),
  );
  const text =
    answer.SecretString ?? (answer.SecretBinary ? Buffer.from(answer.SecretBinary).toString("utf8") : undefined);
  if (text === undefined) throw Object.assign(new Error("no value"), { name: "ResourceNotFoundException" });
  return { text: new Secret(text), versionId: answer.VersionId ?? null };
};

const fetchParameter: Fetch = async (deps, record, settings, ref) => {
  const { GetParameterCommand } = await loadAwsSdk();
  const client = await deps.clients.ssm(record.id, settings, ref.query.region ?? null);
  const answer = await client.send(new GetParameterCommand({ Name: ref.path, WithDecryption: true }));
  const text = answer.Parameter?.Value;
  if (text === undefined) throw Object.assign(new Error("no value"), { name: "ParameterNotFound" });
  const version = answer.Parameter?.Version;
  return { text: new Secret(text), versionId: version !== undefined ? String(version) : null };
};

function awsProvider(deps: AwsProviderDeps, scheme: "aws-sm" | "aws-ssm", store: string, fetch: Fetch): Provider {
  return {
    async resolve(ref: Reference, context: ResolveContext): Promise<Secret> {
      const id = context.session.id;
      if (deps.offline(id))
        return storeStandIn(ref, context, `offline: ${scheme}:// references are answered by sandbox values`);
      const record = deps.login(id);
      if (!record)
        return storeStandIn(
          ref,
          context,
          `nobody is logged in: ${scheme}:// references are answered by sandbox values (\`devsecrets login\` fetches them)`,
        );
      const settings = awsSettingsOf(record, deps.env);
      if (!settings)
        return storeStandIn(
          ref,
          context,
          `no AWS is configured: ${scheme}:// references are answered by sandbox values (log in with --aws-profile NAME, or create ~/.aws/config)`,
        );
      const production = productionReason(ref, context.where, record.env, deps.production?.patterns() ?? []);
      if (production) return storeStandIn(ref, context, production);
      const identity = valueIdentity(ref);
      const value = await context.session.memo(`${scheme}:${identity}`, async () => {
        let fetched: StoreValue;
        try {
          fetched = await fetch(deps, record, settings, ref);
        } catch (error) {
          throw awsFailure(error, ref.raw, context.where, store);
        }
        return fetched;
      });
      if (value.versionId !== null)
        deps.watch?.({
          scheme,
          sessionId: record.id,
          serving: context.session,
          settings,
          ref,
          identity,
          versionId: value.versionId,
          place: `${context.projectRoot}\0${context.env}`,
        });
      return selectStoreField(value.text.reveal(), ref, context.where, `${store} ${ref.path}`);
    },
  };
}

export const awsSecretsManagerProvider = (deps: AwsProviderDeps): Provider =>
  awsProvider(deps, "aws-sm", "AWS Secrets Manager", fetchSecret);

export const awsParameterStoreProvider = (deps: AwsProviderDeps): Provider =>
  awsProvider(deps, "aws-ssm", "AWS Parameter Store", fetchParameter);
