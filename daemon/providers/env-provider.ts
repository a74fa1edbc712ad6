// env://NAME: a value from the caller's own environment, for composition.
// Rule: reads the request's environ only; nothing is kept.

import { DevsecretsError } from "../../common/errors.js";
import { Secret } from "../../common/secret.js";
import type { Provider } from "../resolve/provider.js";

export const envProvider: Provider = {
  async resolve(ref, context) {
    // own properties only: env://constructor once answered Object's source text and env://__proto__ "{}"
    const value = Object.hasOwn(context.environ, ref.path) ? context.environ[ref.path] : undefined;
    if (value === undefined) {
      throw new DevsecretsError("DS_REF_NOT_FOUND", `${context.where}: ${ref.raw} is not set in your environment`, {
        hint: `export ${ref.path} before running, or replace the reference with a value`,
      });
    }
    return new Secret(value);
  },
};
