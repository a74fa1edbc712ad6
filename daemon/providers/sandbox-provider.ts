// sandbox://KIND[/VARIANT][?opts][#FIELD]: a minted stand-in credential, the same for the whole session.
// Rule: fields of one reference come from one mint (#id and #secret match).

import { valueIdentity } from "../resolve/reference.js";
import type { Provider } from "../resolve/provider.js";
import { mintInSession } from "../sandbox/mint-in-session.js";

export const sandboxProvider: Provider = {
  resolve: (ref, context) =>
    mintInSession(context.session, {
      kindPath: ref.path,
      query: ref.query,
      field: ref.field,
      identity: valueIdentity(ref),
      reference: ref.raw,
      projectRoot: context.projectRoot,
    }),
};
