// What "nothing of a value" means in a test of masked output: no 6-byte piece of its random part, not its base64.
// Rule: shared by every test that checks output for a served value.

interface FalseAsserter {
  false(value: boolean, message?: string): void;
}

/** asserts that `text` holds no 6-byte window of `value` after its fixed `prefix` (a vendor's sk_test_), nor its base64 */
export function assertNothingOf(t: FalseAsserter, text: string, value: string, prefix: string, where: string): void {
  const random = value.slice(prefix.length);
  for (let i = 0; i + 6 <= random.length; i++)
    t.false(text.includes(random.slice(i, i + 6)), `${where} holds part of the value`);
  t.false(text.includes(Buffer.from(value).toString("base64").slice(0, 12)), `${where} holds its base64`);
}
