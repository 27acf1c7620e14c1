/**
 * The order inside shared/ (docs/ARCHITECTURE.md, "shared/ layers") is held by ESLint; this lints
 * small sources in place to show a folder may import the layers below it and never one above.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function layerProblems(filePath: string, imports: readonly string[]): Promise<number> {
  const source = [
    ...imports.map((from, index) => `import * as m${index} from '${from}';`),
    `export const all = [${imports.map((_, index) => `m${index}`).join(', ')}];`,
  ].join('\n');
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports')
    .length;
}

describe('shared/ layers', () => {
  it('lets a folder import the layers below it', async () => {
    expect(
      await layerProblems('shared/model/probe.ts', [
        '../result',
        '../core/ids',
        '../time/calendar',
        '../schema/records',
        '../focus',
      ]),
    ).toBe(0);
    expect(
      await layerProblems('shared/ipc/probe.ts', ['../storage/workspaceFile', '../model']),
    ).toBe(0);
  }, 30_000);

  it('refuses imports from its own line or above, type-only ones too', async () => {
    expect(
      await layerProblems('shared/core/probe.ts', ['../time/zonedTime', '../schema/common']),
    ).toBe(2);
    expect(
      await layerProblems('shared/schema/probe.ts', ['../model/ids', '../protocol/keys']),
    ).toBe(2);
    expect(
      await layerProblems('shared/focus/probe.ts', ['../model', '../../shared/ipc/contract']),
    ).toBe(2);
    const [typeOnly] = await eslint.lintText(
      "import type { Goal } from '../schema/goal';\nexport type G = Goal;",
      { filePath: 'shared/time/probe.ts' },
    );
    expect(typeOnly?.messages.map((message) => message.ruleId)).toContain('no-restricted-imports');
  }, 30_000);

  it('still keeps Node and the other folders out of every layer', async () => {
    expect(await layerProblems('shared/time/probe.ts', ['node:fs', '../../renderer/store'])).toBe(
      2,
    );
  }, 30_000);
});
