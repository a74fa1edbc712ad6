// What the dashboard lists per project: counts and times of what was served, the last resolve's verdict (issue 20).

import test from "ava";
import { SeenProjects } from "../../../daemon/resolve/seen-projects.js";

test("served counts per variable, the last time, and the last resolve's verdict with code and hint", (t) => {
  const seen = new SeenProjects();
  seen.served("/p/app", "id1", "dev", ["A", "B"], new Date("2026-01-01T00:00:00Z"));
  seen.served("/p/app", "id1", "dev", ["A"], new Date("2026-01-01T00:01:00Z"));
  seen.failed("/p/app", "dev", { code: "DS_X", message: "m", hint: "h" }, new Date("2026-01-01T00:02:00Z"));
  const [project] = seen.list();
  t.is(project?.id, "id1");
  t.deepEqual(Object.fromEntries(project?.variables ?? []), {
    A: { served: 2, lastServedAt: "2026-01-01T00:01:00.000Z" },
    B: { served: 1, lastServedAt: "2026-01-01T00:00:00.000Z" },
  });
  t.deepEqual(project?.last, { at: "2026-01-01T00:02:00.000Z", ok: false, code: "DS_X", message: "m", hint: "h" });
  seen.served("/p/app", "id1", "dev", [], new Date("2026-01-01T00:03:00Z"));
  t.true(seen.list()[0]?.last.ok);
  seen.clear();
  t.deepEqual(seen.list(), []);
});
