// sandbox://tls/cert?hosts=a,b#cert|key|chain|ca: a server certificate for the hosts, signed by the session CA.
// Rule: SANs only from `hosts` (DNS names and IP literals), serverAuth only, at most 30 days.

import { isIP } from "node:net";
import { DevsecretsError } from "../../../common/errors.js";
import type { SandboxKind } from "../sandbox-kind.js";
import { issueLeaf, sessionCa } from "../dev-ca.js";
import { multiField } from "../minted.js";

/** a DNS name (optionally one leading wildcard label), an IPv4 literal, or something IPv6-shaped (checked below) */
const HOST =
  /^(?:(?:\*\.)?(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/;

export const tlsCert: SandboxKind = {
  kind: "tls/cert",
  summary: "server certificate for ?hosts= (default localhost,127.0.0.1,::1) signed by the session dev CA; PEM",
  fields: ["cert", "key", "chain", "ca"],
  options: {
    hosts: {
      type: "list",
      pattern: HOST,
      example: "localhost,app.test,127.0.0.1",
      default: "localhost,127.0.0.1,::1",
      description: "comma-separated DNS names and IP addresses for the subjectAltName",
    },
  },
  async mint(options, context) {
    const hosts = options.hosts as string[];
    for (const host of hosts) {
      if (host.includes(":") && isIP(host) !== 6) {
        throw new DevsecretsError(
          "DS_SANDBOX_OPTION",
          `option "hosts" of sandbox kind tls/cert: "${host.slice(0, 60)}" is neither a DNS name nor an IP address`,
        );
      }
    }
    const ca = await sessionCa(context.session, context.now());
    const leaf = await issueLeaf(ca, hosts, context.now());
    return multiField({ cert: leaf.certPem, key: leaf.keyPem, chain: leaf.certPem + ca.certPem, ca: ca.certPem });
  },
};
