// A lint rule that fails on an import circle, type-only imports and dynamic import() included:
// eslint-plugin-import-x's no-cycle skips `import type`, and a type-only circle still ties two
// modules together (issue 20). The graph is read with TypeScript's own import scanner.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

const EXTENSIONS = ['.ts', '.tsx', '/index.ts', '/index.tsx'];

/** path → { mtime, imports (resolved paths) }: one lint run reads each file once. */
const graph = new Map();

function resolveImport(from, specifier) {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, ...EXTENSIONS.map((ext) => base + ext)])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return null;
}

function importsOf(file) {
  const mtime = statSync(file).mtimeMs;
  const cached = graph.get(file);
  if (cached && cached.mtime === mtime) return cached.imports;
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const imports = importedFiles
    .map((entry) => resolveImport(file, entry.fileName))
    .filter((path) => path !== null);
  graph.set(file, { mtime, imports });
  return imports;
}

/** The shortest route from `start` back to `target`, or null. */
function routeBack(start, target) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const current = queue.shift();
    for (const next of importsOf(current)) {
      if (next === target) {
        const route = [current];
        for (let at = previous.get(current); at; at = previous.get(at)) route.unshift(at);
        return route;
      }
      if (!previous.has(next)) {
        previous.set(next, current);
        queue.push(next);
      }
    }
  }
  return null;
}

export const noImportCycle = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbids import circles, type-only and dynamic imports included.' },
    schema: [],
    messages: { cycle: 'Import circle: {{route}}.' },
  },
  create(context) {
    const file = context.physicalFilename;
    const root = context.cwd;
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const target = resolveImport(file, source.value);
      if (!target) return;
      const route = routeBack(target, file);
      if (!route) return;
      const names = [file, ...route, file].map((path) => path.slice(root.length + 1));
      context.report({ node, messageId: 'cycle', data: { route: names.join(' → ') } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};
