// A secret value that refuses to be printed: toString, toJSON and util.inspect say [redacted].
// Rule: unwrap with reveal() only where the value is written to the socket or a child's environment.

const INSPECT = Symbol.for("nodejs.util.inspect.custom");
const REDACTED = "[redacted]";

export class Secret {
  readonly #value: string;

  /**
   * `secret: false` marks a value that is not a secret (a sandbox service's host, port or URL without a password): it
   * is still audited, but not masked in `run`'s output nor fingerprinted for `scan` (a port would match everywhere)
   */
  constructor(
    value: string,
    readonly secret: boolean = true,
  ) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return REDACTED;
  }
}

/** a value with several named fields minted or leased together (#id/#secret, #username/#password) */
export type SecretFields = Readonly<Record<string, Secret>>;
