// sandbox://tls/ca#cert|key: the session's development CA (EC P-256, at most 30 days), PEM.
// Rule: the same CA for the whole session, so every tls/cert leaf chains to the cert a client trusts.

import type { SandboxKind } from "../sandbox-kind.js";
import { sessionCa } from "../dev-ca.js";
import { multiField } from "../minted.js";

export const tlsCa: SandboxKind = {
  kind: "tls/ca",
  summary: 'the session\'s dev CA: CN "devsecrets dev CA <id>", EC P-256, valid 30 days; PEM cert and PKCS#8 key',
  fields: ["cert", "key"],
  options: {},
  async mint(_options, context) {
    const ca = await sessionCa(context.session, context.now());
    return multiField({ cert: ca.certPem, key: ca.keyPem });
  },
};
