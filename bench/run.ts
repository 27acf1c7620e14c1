/** `npm run bench`: every benchmark suite, one table, and bench/results.json. */
import { benchModel } from './model';
import { benchNotes } from './notes';
import { benchSync } from './sync';
import { benchStorage } from './storage';
import { benchSignaling } from './signaling';
import { benchHistory } from './history';
import { benchRelay } from './relay';
import { benchTrust } from './trust';
import { benchScale } from './scale';
import { benchLazyDocs } from './lazyDocs';
import { printTable, writeResults, type BenchResult } from './report';

type Suite = () => BenchResult[] | Promise<BenchResult[]>;
const suites: ReadonlyArray<[string, Suite]> = [
  ['model', benchModel],
  ['notes', benchNotes],
  ['sync', benchSync],
  ['storage', benchStorage],
  ['signaling', benchSignaling],
  ['history', benchHistory],
  ['relay', benchRelay],
  ['trust', benchTrust],
  // Only when named (`npm run bench -- scale`): its 100,000-note runs alone take many minutes,
  // and the default run must stay within about 20 minutes.
  ['scale', benchScale],
  // Only when named (`npm run bench -- lazy`): storing 100,000 documents takes minutes.
  ['lazy', benchLazyDocs],
];
const OPT_IN = new Set(['scale', 'lazy']);

// `npm run bench -- notes sync` runs only the named suites (all but the opt-in ones by default).
const only = process.argv.slice(2);
const unknown = only.filter((name) => !suites.some(([known]) => known === name));
if (unknown.length > 0) {
  console.error(
    `No such bench suite: ${unknown.join(', ')} (there are ${suites.map(([name]) => name).join(', ')})`,
  );
  process.exit(2);
}

const results: BenchResult[] = [];
const failed: string[] = [];
for (const [name, suite] of suites) {
  if (only.length > 0 ? !only.includes(name) : OPT_IN.has(name)) continue;
  const started = performance.now();
  try {
    results.push(...(await suite()));
    console.info(
      `suite ${name} finished in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    // The other suites still run and print: one failure should not hide every figure measured.
    failed.push(name);
    console.error(
      `suite ${name} FAILED after ${((performance.now() - started) / 1000).toFixed(1)} s:`,
    );
    console.error(error);
  }
}
printTable(results);
if (failed.length > 0) {
  console.error(`\nFailed suites: ${failed.join(', ')}; bench/results.json left as it was.`);
  process.exitCode = 1;
} else if (only.length === 0) {
  await writeResults(results);
  console.info('\nWrote bench/results.json');
} else {
  // A partial run must not leave a results file that looks whole.
  console.info('\nPartial run: bench/results.json left as it was.');
}
