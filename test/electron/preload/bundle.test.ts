/**
 * The sandboxed preload cannot require anything but 'electron' at run time, so it is bundled into
 * one small file. This keeps what it pulls in to the IPC names, the client and the result type:
 * no validation library, no Node built-ins.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

/** Value (non-type) imports of a TypeScript module: `import type` and `import { type X }`-only lines are erased. */
function valueImports(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specifiers: string[] = [];
  for (const match of source.matchAll(/^import\s+(type\s+)?([\s\S]*?)\s+from\s+'([^']+)';/gm)) {
    const [, typeOnly, clause = '', specifier = ''] = match;
    if (typeOnly) continue;
    const named = /^\{([\s\S]*)\}$/.exec(clause.trim());
    if (
      named &&
      named[1]!.split(',').every((part) => part.trim() === '' || part.trim().startsWith('type '))
    ) {
      continue;
    }
    specifiers.push(specifier);
  }
  return specifiers;
}

function bundledModules(entry: string): { local: string[]; packages: string[] } {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of valueImports(file)) {
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), `${specifier}.ts`));
      else packages.add(specifier);
    }
  };
  visit(entry);
  return {
    local: [...seen].map((file) => path.relative(root, file).split(path.sep).join('/')).sort(),
    packages: [...packages].sort(),
  };
}

describe('the preload bundle', () => {
  it('contains only the IPC channels, client and result besides itself', () => {
    expect(bundledModules(path.join(root, 'electron/preload/index.ts'))).toEqual({
      local: [
        'electron/preload/index.ts',
        'electron/preload/transport.ts',
        'shared/ipc/channels.ts',
        'shared/ipc/client.ts',
        'shared/result.ts',
      ],
      packages: ['electron'],
    });
  });

  it('exposes window.outpost and nothing else', () => {
    const source = readFileSync(path.join(root, 'electron/preload/index.ts'), 'utf8');
    const exposed = [...source.matchAll(/exposeInMainWorld\(\s*'([^']+)'/g)].map(
      (match) => match[1],
    );
    expect(exposed).toEqual(['outpost']);
  });
});
