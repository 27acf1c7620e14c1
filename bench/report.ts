/** Bench results: the table a person reads and bench/results.json that tools read. */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
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

/** The machine's load averages (1, 5, 15 min), for notes: figures taken under load are rough. */
export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
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

/**
 * The growth exponent k of value ≈ c · size^k: the least-squares slope of log(value) over
 * log(size). 1 is linear; under 1 grows slower than the data, over 1 faster.
 */
export function growthExponent(
  points: ReadonlyArray<readonly [size: number, value: number]>,
): number {
  const xs = points.map(([size]) => Math.log(size));
  const ys = points.map(([, value]) => Math.log(value));
  const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const mx = mean(xs);
  const my = mean(ys);
  let covariance = 0;
  let variance = 0;
  xs.forEach((x, i) => {
    covariance += (x - mx) * (ys[i]! - my);
    variance += (x - mx) ** 2;
  });
  return covariance / variance;
}

/** A scaling series as one figure: the fitted exponent, the points in its note. */
export function scalingResult(
  id: string,
  what: string,
  points: ReadonlyArray<readonly [size: number, value: number]>,
  unit: string,
  target?: string,
): BenchResult {
  const shown = points.map(([size, value]) => `${size}: ${format(value)} ${unit}`).join(', ');
  return {
    id,
    value: growthExponent(points),
    unit: 'exponent',
    ...(target ? { target } : {}),
    note: `${what}; fitted k in value ∝ size^k over ${shown}`,
  };
}
