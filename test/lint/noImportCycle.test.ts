/**
 * The import-circle rule (lint/noImportCycle.js) on renderer/ and shared/: a circle made only of
 * `import type` fails like any other, and the store as it is has none.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function circles(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'outpost/no-import-cycle')
    .map((message) => message.message);
}

describe('no import circles in renderer/ and shared/', () => {
  it('rejects a circle made of type-only imports', async () => {
    // recordsSlice.ts imports its types from types.ts, so types.ts may not import it back.
    const source = readFileSync('renderer/store/types.ts', 'utf8');
    const found = await circles(
      'renderer/store/types.ts',
      `import type { createRecordsSlice } from './recordsSlice';\nexport type Probe = typeof createRecordsSlice;\n${source}`,
    );
    expect(found).toEqual([
      'Import circle: renderer/store/types.ts → renderer/store/recordsSlice.ts → renderer/store/types.ts.',
    ]);
  }, 30_000);

  it('rejects a circle closed by a dynamic import()', async () => {
    const found = await circles(
      'renderer/store/writeGateway.ts',
      "export const later = () => import('./index');\n",
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('renderer/store/index.ts');
  }, 30_000);

  it('holds in shared/ too', async () => {
    // notesBody.ts checks its links with linkUrl.ts, so linkUrl.ts may not need notesBody.ts.
    const found = await circles(
      'shared/model/linkUrl.ts',
      "import type { BodyNode } from './notesBody';\nexport type Probe = BodyNode;\n",
    );
    expect(found).toEqual([
      'Import circle: shared/model/linkUrl.ts → shared/model/notesBody.ts → shared/model/linkUrl.ts.',
    ]);
  }, 30_000);

  it('finds none in the store as it is', async () => {
    for (const file of ['index.ts', 'types.ts', 'syncSlice.ts', 'workspaceSlice.ts']) {
      const path = `renderer/store/${file}`;
      expect(await circles(path, readFileSync(path, 'utf8'))).toEqual([]);
    }
  }, 30_000);
});
