/** `npm run bench`: every benchmark suite, one table, and bench/results.json. */
import { benchModel } from './model';
import { benchNotes } from './notes';
import { benchSync } from './sync';
import { benchStorage } from './storage';
import { printTable, writeResults, type BenchResult } from './report';

const suites: ReadonlyArray<[string, () => BenchResult[] | Promise<BenchResult[]>]> = [
  ['model', benchModel],
  ['notes', benchNotes],
  ['sync', benchSync],
  ['storage', benchStorage],
];

const results: BenchResult[] = [];
for (const [name, suite] of suites) {
  const started = performance.now();
  results.push(...(await suite()));
  console.info(`suite ${name} finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
printTable(results);
await writeResults(results);
console.info('\nWrote bench/results.json');
