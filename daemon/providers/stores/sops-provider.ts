// sops://PATH[#dot.path]: a sops-encrypted YAML, JSON or dotenv file of the project, decrypted by the sops binary with
// the session's age identity (sops-identity.ts) and kept in memory only; a file changed on disk is decrypted again.
// Rule: the path stays inside the project root, symlinks resolved; no login or production in dev: a sandbox stand-in.

import { realpath, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { DevsecretsError } from "../../../common/errors.js";
import { Secret } from "../../../common/secret.js";
import type { Provider } from "../../resolve/provider.js";
import type { ProductionPattern } from "../../resolve/production-paths.js";
import type { SessionRecord, SessionStore } from "../../session/session-store.js";
import { selectStoreField } from "./secret-fields.js";
import { readIdentity } from "./sops-identity.js";
import { findSops } from "../../../common/sops-binary.js";
import { sopsDecrypt } from "./sops-run.js";
import { productionReason, storeStandIn } from "./store-guard.js";

export interface SopsProviderDeps {
  /** the logged-in session's record and store when `servingId` is that session, else null */
  login: (servingId: string) => { record: SessionRecord; store: SessionStore } | null;
  env: NodeJS.ProcessEnv;
  production?: { patterns(): ProductionPattern[] };
}

/** the file's real path, refused when it leaves the project root (a symlink pointing out, a root symlinked away) */
async function insideRoot(root: string, path: string, raw: string, where: string): Promise<string> {
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(join(root, path));
  } catch (error) {
    throw new DevsecretsError(
      "DS_REF_NOT_FOUND",
      `${where}: ${raw}: the file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`,
      {
        hint: "check the path: sops:// paths are relative to the project root",
      },
    );
  }
  if (!real.startsWith(realRoot + sep))
    throw new DevsecretsError("DS_REF_SYNTAX", `${where}: ${raw} leads outside the project root`, {
      hint: "keep sops files inside the project; a symlink out of it is refused",
    });
  return real;
}

export function sopsProvider(deps: SopsProviderDeps): Provider {
  return {
    async resolve(ref, context) {
      const active = deps.login(context.session.id);
      if (!active)
        return storeStandIn(
          ref,
          context,
          "nobody is logged in: sops:// references are answered by sandbox values (`devsecrets login` decrypts them)",
        );
      const production = productionReason(ref, context.where, active.record.env, deps.production?.patterns() ?? []);
      if (production) return storeStandIn(ref, context, production);
      const file = await insideRoot(context.projectRoot, ref.path, ref.raw, context.where);
      // a symlink inside the project (link.yaml -> secrets/prod.yaml) names the same file by another path: the user's
      // production patterns hold for the file itself
      const realPath = relative(await realpath(context.projectRoot), file)
        .split(sep)
        .join("/");
      if (realPath !== ref.path) {
        const viaLink = productionReason(
          { ...ref, path: realPath },
          context.where,
          active.record.env,
          deps.production?.patterns() ?? [],
        );
        if (viaLink) return storeStandIn(ref, context, `${viaLink} (${ref.path} leads to ${realPath})`);
      }
      const stats = await stat(file);
      if (!stats.isFile() || stats.size > 1024 * 1024)
        throw new DevsecretsError(
          "DS_PROJECT_FILE",
          `${context.where}: ${ref.raw} is not a regular file of at most 1 MiB`,
        );
      // keyed by the file's stamp: a file changed on disk is decrypted again on the next resolve
      const stamp = `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
      const text = await context.session.memo(`sops:${file}\0${stamp}`, async () => {
        const binary = findSops(deps.env);
        if (!binary)
          throw new DevsecretsError(
            "DS_SOPS_MISSING",
            `${context.where}: ${ref.raw} needs the sops binary, and none was found`,
          );
        const identity = await readIdentity(active.store);
        if (!identity)
          throw new DevsecretsError(
            "DS_SOPS_DECRYPT",
            `${context.where}: ${ref.raw}: no age identity is kept to decrypt it`,
            {
              hint: "run `devsecrets sops key generate` (then add the recipient to .sops.yaml) or `devsecrets sops key import`",
            },
          );
        return new Secret(await sopsDecrypt(binary, file, identity, `${context.where}: ${ref.raw}`));
      });
      if (ref.field === null)
        throw new DevsecretsError(
          "DS_REF_SYNTAX",
          `${context.where}: ${ref.raw} needs a #key (a dot path into the file)`,
          {
            hint: "e.g. sops://secrets/dev.yaml#db.password",
          },
        );
      return selectStoreField(text.reveal(), ref, context.where, ref.path);
    },
  };
}
