// The public client of the daemon: what `import "devsecrets"` gives a program.
// Rule: re-exports only; nothing here starts anything on import.

export { DaemonClient, type ClientOptions } from "./client.js";
export { DevsecretsError } from "../../common/errors.js";
export type * from "../protocol/messages.js";
export { ERROR_CODES, type ErrorCode } from "../protocol/error-codes.js";
