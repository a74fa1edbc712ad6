// The few DEVSECRETS_* variables the Node front door, the preloads and run's fast path read without the table of
// common/environment.ts, whose descriptions would cost them their bytes. Rule: every name here has the same type as its
// row in the table (test/unit/environment.test.ts), and is read in the dialect of common/environment-dialect.ts.

import { type OnInvalid, readFlag, readText } from "../../common/environment-dialect.js";

type Env = Readonly<Record<string, string | undefined>>;

export const CLIENT_VARIABLES = {
  DEVSECRETS_ENV: "text",
  DEVSECRETS_OVERRIDE: "flag",
  DEVSECRETS_OPTIONAL: "flag",
  DEVSECRETS_NO_AUTOSTART: "flag",
  DEVSECRETS_LOADED: "names",
  DEVSECRETS_NO_MASK: "flag",
  DEVSECRETS_NATIVE: "flag",
} as const;

type Named<T> = { [K in keyof typeof CLIENT_VARIABLES]: (typeof CLIENT_VARIABLES)[K] extends T ? K : never };
type ClientFlag = Named<"flag">[keyof typeof CLIENT_VARIABLES];
type ClientText = Named<"text" | "names">[keyof typeof CLIENT_VARIABLES];

/** a flag: undefined when unset or empty; a value outside the dialect is said on stderr and ignored unless told otherwise */
export const clientFlag = readFlag as (env: Env, name: ClientFlag, onInvalid?: OnInvalid) => boolean | undefined;

/** a text variable: undefined when unset or empty */
export const clientText = readText as (env: Env, name: ClientText) => string | undefined;
