/** Bench results: the table a person reads and bench/results.json that tools read. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface BenchResult {
  readonly id: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: number;
  readonly ratio?: number;
  readonly target?: string;
  readonly note?: string;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The p-th percentile (0–100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

function format(value: number | undefined): string {
  if (value === undefined) return '';
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function printTable(results: readonly BenchResult[]): void {
  const rows = results.map((r) => [
    r.id,
    `${format(r.value)} ${r.unit}`,
    format(r.baseline),
    r.ratio === undefined ? '' : `${format(r.ratio)}×`,
    r.target ?? '',
    r.note ?? '',
  ]);
  const header = ['id', 'value', 'baseline', 'ratio', 'target', 'what'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ');
  console.info(line(header));
  console.info(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.info(line(row));
}

export async function writeResults(
  results: readonly BenchResult[],
  file = path.resolve('bench/results.json'),
): Promise<void> {
  const plain = results.map(({ note: _note, ...rest }) => rest);
  await writeFile(file, `${JSON.stringify(plain, null, 2)}\n`);
}
