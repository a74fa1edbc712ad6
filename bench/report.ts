// Tables and target checks printed by every benchmark, collected for dist/bench-results.json.
// Rule: a target is a ratio measured in one run; PASS/MISS is printed, never thrown.

export interface TargetCheck {
  bench: string;
  name: string;
  ratio: number;
  target: number;
  pass: boolean;
}

export interface BenchRecord {
  bench: string;
  tables: { title: string; headers: string[]; rows: (string | number)[][] }[];
  checks: TargetCheck[];
  notes: string[];
}

export const records: BenchRecord[] = [];

export function record(bench: string): BenchRecord {
  const found = records.find((r) => r.bench === bench);
  if (found) return found;
  const fresh: BenchRecord = { bench, tables: [], checks: [], notes: [] };
  records.push(fresh);
  return fresh;
}

function cell(value: string | number): string {
  return typeof value === "number"
    ? Number.isInteger(value)
      ? String(value)
      : value.toFixed(value < 10 ? 2 : 1)
    : value;
}

export function printTable(bench: string, title: string, headers: string[], rows: (string | number)[][]): void {
  record(bench).tables.push({ title, headers, rows });
  const text = [headers, ...rows.map((row) => row.map(cell))];
  const widths = headers.map((_, i) => Math.max(...text.map((row) => String(row[i] ?? "").length)));
  const line = (row: (string | number)[]) => `| ${row.map((c, i) => String(c).padEnd(widths[i]!)).join(" | ")} |`;
  process.stdout.write(`\n${title}\n${line(text[0]!)}\n|${widths.map((w) => "-".repeat(w + 2)).join("|")}|\n`);
  for (const row of text.slice(1)) process.stdout.write(`${line(row)}\n`);
}

/** prints and records `name: ratio (target ≤ target) PASS|MISS` */
export function checkAtMost(bench: string, name: string, ratio: number, target: number): TargetCheck {
  const check = { bench, name, ratio: Number(ratio.toFixed(3)), target, pass: ratio <= target };
  record(bench).checks.push(check);
  process.stdout.write(`  ${check.pass ? "PASS" : "MISS"}  ${name}: ${ratio.toFixed(2)}× (target ≤ ${target}×)\n`);
  return check;
}

export function note(bench: string, text: string): void {
  record(bench).notes.push(text);
  process.stdout.write(`  note: ${text}\n`);
}
