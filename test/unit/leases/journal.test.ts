import test from "ava";
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Journal } from "../../../daemon/leases/journal.js";

test("a torn last line (a crash mid-write) is skipped, and the next record after it is not swallowed by it", (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ds-journal-"));
  try {
    const path = join(dir, "journal.jsonl");
    new Journal(path).record({ id: "role-a", kind: "postgres-role", session: "s" });
    appendFileSync(path, '{"op":"add","entry":{"id":"role-b","kind":"postgr');
    const next = new Journal(path);
    t.deepEqual(
      next.pending().map((e) => e.id),
      ["role-a"],
    );
    next.resolved("role-a");
    t.deepEqual(next.pending(), [], "the done record after the torn line counts");
    next.record({ id: "role-c", kind: "postgres-role", session: "s" });
    t.deepEqual(
      next.pending().map((e) => e.id),
      ["role-c"],
    );
    next.compact();
    t.is(readFileSync(path, "utf8").split("\n").filter(Boolean).length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
