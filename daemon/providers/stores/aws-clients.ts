// The AWS SDK v3 clients of the session, loaded by dynamic import on the first aws-sm:// or aws-ssm:// resolve: the SDK
// is megabytes of modules that the run path, the preloads and a daemon without AWS references never load.
// Rule: one client per session, service and region; the session's clients are dropped (with their credentials) at the
// wipe and when another session asks.

import type { SecretsManagerClient, SSMClient } from "./aws-sdk.js";
import type { AwsSettings } from "./aws-login.js";

/** the SDK's names the stores use: in an install, one bundle of both clients (aws-sdk.ts, scripts/build.mjs) */
type AwsSdk = typeof import("./aws-sdk.js");

/** the first AWS resolve loads the SDK once; later ones share the import */
let sdk: Promise<AwsSdk> | null = null;

export function loadAwsSdk(): Promise<AwsSdk> {
  sdk ??= import("./aws-sdk.js");
  return sdk;
}

/** emulators and tests give an endpoint and often no region; AWS itself needs the user's region */
const EMULATOR_REGION = "us-east-1";

/** the client configuration both services share */
function clientConfig(settings: AwsSettings, region: string | null) {
  const chosen = region ?? settings.region ?? (settings.endpoint ? EMULATOR_REGION : undefined);
  return {
    ...(chosen ? { region: chosen } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(settings.accessKeyId && settings.secretAccessKey
      ? {
          credentials: {
            accessKeyId: settings.accessKeyId,
            secretAccessKey: settings.secretAccessKey.reveal(),
            ...(settings.sessionToken ? { sessionToken: settings.sessionToken.reveal() } : {}),
          },
        }
      : {}),
    // a resolve waits for the store: bounded, and retried once rather than the SDK's three times
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
  };
}

/**
 * Some endpoints (moto, proxies in front of AWS) answer an authentication or authorisation failure in the query
 * protocol's XML (`<Code>InvalidClientTokenId</Code>`), which the JSON services' deserializer cannot read: it throws a
 * SyntaxError and the code is lost. This step sits under the deserializer and turns such an answer into an error named
 * by its code, so aws-errors.ts can say DS_STORE_AUTH or DS_STORE_FORBIDDEN.
 */
function xmlErrorCodes(client: SecretsManagerClient | SSMClient): void {
  // biome-ignore lint/suspicious/noExplicitAny: the middleware's generic types differ per client; the shape is the same
  (client.middlewareStack as any).add(
    (next: (args: unknown) => Promise<{ response: XmlResponse }>) => async (args: unknown) => {
      const result = await next(args);
      const response = result.response;
      const type = String(response?.headers?.["content-type"] ?? "");
      // moto labels its XML text/html; a JSON error is the deserializer's to read
      if (!response || response.statusCode < 400 || /json/i.test(type) || !response.body) return result;
      let text = "";
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        text += chunk.toString("utf8");
        if (text.length > 16_384) break;
      }
      const code = /<Code>([A-Za-z0-9.]{1,100})<\/Code>/.exec(text)?.[1];
      if (!code) throw Object.assign(new Error("unreadable"), { $metadata: { httpStatusCode: response.statusCode } });
      throw Object.assign(new Error(code), { name: code, $metadata: { httpStatusCode: response.statusCode } });
    },
    { step: "deserialize", priority: "low", name: "devsecretsXmlErrorCodes" },
  );
}

interface XmlResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export class AwsClients {
  #session: string | null = null;
  readonly #clients = new Map<string, Promise<SecretsManagerClient | SSMClient>>();

  secretsManager(session: string, settings: AwsSettings, region: string | null): Promise<SecretsManagerClient> {
    return this.#client(session, `sm\0${region ?? ""}`, async () => {
      const { SecretsManagerClient } = await loadAwsSdk();
      const client = new SecretsManagerClient(clientConfig(settings, region));
      xmlErrorCodes(client);
      return client;
    }) as Promise<SecretsManagerClient>;
  }

  ssm(session: string, settings: AwsSettings, region: string | null): Promise<SSMClient> {
    return this.#client(session, `ssm\0${region ?? ""}`, async () => {
      const { SSMClient } = await loadAwsSdk();
      const client = new SSMClient(clientConfig(settings, region));
      xmlErrorCodes(client);
      return client;
    }) as Promise<SSMClient>;
  }

  /** forgets every client and the credentials they hold (the wipe) */
  drop(): number {
    const count = this.#clients.size;
    for (const client of this.#clients.values()) void client.then((c) => c.destroy()).catch(() => {});
    this.#clients.clear();
    this.#session = null;
    return count;
  }

  #client(
    session: string,
    key: string,
    create: () => Promise<SecretsManagerClient | SSMClient>,
  ): Promise<SecretsManagerClient | SSMClient> {
    if (this.#session !== session) {
      this.drop();
      this.#session = session;
    }
    let client = this.#clients.get(key);
    if (!client) {
      client = create();
      this.#clients.set(key, client);
      client.catch(() => this.#clients.delete(key));
    }
    return client;
  }
}
