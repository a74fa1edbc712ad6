// The providers as an untrusted project meets them: vault:// and the platform stores answered by sandbox stand-ins
// with a notice, keychain:// and sandbox://postgres/* on a configured admin server refused with DS_PROJECT_UNTRUSTED.
// Rule: a project nobody trusted reaches no credential of the user's, and never silently: each refusal names why.

import type { Provider } from "../resolve/provider.js";
import { STORE_SCHEMES, type ReferenceScheme } from "../resolve/reference.js";
import { answerWithStandIn } from "../providers/vault-stand-in.js";
import { storeStandIn } from "../providers/stores/store-guard.js";

export interface TrustGateDeps {
  /** whether a PostgreSQL admin server is configured for the project (env, user config or its devsecrets.json) */
  adminUrlConfigured: (projectRoot: string) => boolean;
}

/** sandbox kinds that act on the admin server the user configured with their own credentials */
const ADMIN_SERVER_KINDS = /^postgres\/(role|database)(\/|$)/;

export function gateProviders(
  providers: Record<ReferenceScheme, Provider>,
  deps: TrustGateDeps,
): Record<ReferenceScheme, Provider> {
  const stores = Object.fromEntries(
    STORE_SCHEMES.map((scheme) => [
      scheme,
      {
        resolve(ref, context) {
          if (context.trust.trusted) return providers[scheme].resolve(ref, context);
          return storeStandIn(
            ref,
            context,
            `this project is not trusted: its ${scheme}:// references are answered by sandbox values (\`devsecrets trust\` allows them)`,
          );
        },
      } satisfies Provider,
    ]),
  ) as Record<(typeof STORE_SCHEMES)[number], Provider>;
  return {
    ...stores,
    env: providers.env,
    keychain: {
      resolve(ref, context) {
        if (!context.trust.trusted) return Promise.reject(context.trust.refuse(`${context.where}: ${ref.raw}`));
        return providers.keychain.resolve(ref, context);
      },
    },
    vault: {
      resolve(ref, context) {
        if (context.trust.trusted) return providers.vault.resolve(ref, context);
        context.notices.add(
          "DS_VAULT_SANDBOX",
          "this project is not trusted: its vault:// references are answered by sandbox values (`devsecrets trust` allows them)",
        );
        return answerWithStandIn(ref, context);
      },
    },
    sandbox: {
      resolve(ref, context) {
        if (!context.trust.trusted && ADMIN_SERVER_KINDS.test(ref.path) && deps.adminUrlConfigured(context.projectRoot))
          return Promise.reject(context.trust.refuse(`${context.where}: ${ref.raw}`));
        return providers.sandbox.resolve(ref, context);
      },
    },
  };
}
