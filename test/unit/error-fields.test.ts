// daemon/error-fields.ts: what the log keeps of an unexpected error. Rule: name and frames, never a line of the message.

import test from "ava";
import { errorFields, stackFrames } from "../../daemon/error-fields.js";

function thrower(message: string): Error {
  return new TypeError(message);
}

test("frames are kept and the message is not, even a message of several lines shaped like frames", (t) => {
  const message = "secret-value\n    at fake (/secret/path.js:1:1)\n    at /another/secret.js:2:2";
  const error = thrower(message);
  const fields = errorFields(error);
  t.is(fields.name, "TypeError");
  const frames = fields.frames as string[];
  t.true(frames.length > 0);
  t.true(frames[0]?.startsWith("at thrower ("), frames[0]);
  t.false(JSON.stringify(fields).includes("secret"));
});

test("a message changed after the stack was taken: only lines that look like frames survive", (t) => {
  const error = thrower("first");
  error.message = "changed secret";
  error.stack = `TypeError: secret line one\nsecret line two\n${error.stack?.split("\n").slice(1).join("\n")}`;
  const frames = stackFrames(error);
  t.true(frames.length > 0);
  t.false(frames.join("\n").includes("secret"));
});

test("values that are not errors give a type name and no frames", (t) => {
  t.deepEqual(errorFields("a secret string"), { name: "string", code: "", frames: [] });
  t.deepEqual(errorFields(null), { name: "null", code: "", frames: [] });
  t.deepEqual(errorFields({ code: "EIO" }), { name: "object", code: "EIO", frames: [] });
});
