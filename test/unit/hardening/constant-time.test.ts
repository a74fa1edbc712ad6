import test from "ava";
import { equalSecrets } from "../../../daemon/hardening/constant-time.js";
import { Secret } from "../../../common/secret.js";

test("equalSecrets: same bytes are equal across strings, Buffers and Secrets; any difference, length included, is not", (t) => {
  t.true(equalSecrets("s3cr3t", "s3cr3t"));
  t.true(equalSecrets(new Secret("é"), Buffer.from("é", "utf8")));
  t.true(equalSecrets("", ""));
  t.false(equalSecrets("s3cr3t", "s3cr3T"));
  t.false(equalSecrets("s3cr3t", "s3cr3t "));
  t.false(equalSecrets("", "\0"));
  t.false(equalSecrets(new Secret("a"), new Secret("b")));
});
