// MemorySandboxSession: one value per key until the wipe; the wipe runs every destroy and zeroes buffers.

import test from "ava";
import { MemorySandboxSession } from "../../../daemon/sandbox/sandbox-session.js";

test("getOrCreate creates once per key and returns the same object after", (t) => {
  const session = new MemorySandboxSession();
  let made = 0;
  const a = session.getOrCreate("k", () => ({ n: ++made }));
  t.is(
    session.getOrCreate("k", () => ({ n: ++made })),
    a,
  );
  t.is(made, 1);
  t.is(session.size, 1);
});

test("destroy zeroes Buffers, runs each destroy, counts them and forgets the material", async (t) => {
  const session = new MemorySandboxSession();
  const buffer = session.getOrCreate("buf", () => Buffer.from("key material"));
  const destroyed: string[] = [];
  session.getOrCreate(
    "a",
    () => "a",
    (v) => void destroyed.push(v),
  );
  session.getOrCreate(
    "b",
    () => "b",
    async (v) => void destroyed.push(v),
  );
  t.is(await session.destroy(), 3);
  t.true(buffer.every((byte) => byte === 0));
  t.deepEqual(destroyed, ["a", "b"]);
  t.is(session.size, 0);
  t.is(await session.destroy(), 0);
});

test("a failing destroy does not stop the others; the failure is reported after all ran", async (t) => {
  const session = new MemorySandboxSession();
  const destroyed: string[] = [];
  session.getOrCreate(
    "bad",
    () => 1,
    () => {
      throw new Error("cannot remove file");
    },
  );
  session.getOrCreate(
    "good",
    () => Buffer.alloc(4, 7),
    () => void destroyed.push("good"),
  );
  const error = await t.throwsAsync(session.destroy(), { instanceOf: AggregateError });
  t.is(error?.message, "1 of 2 sandbox destroys failed");
  t.deepEqual(destroyed, ["good"]);
  t.is(session.size, 0);
});
