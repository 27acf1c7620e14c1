/**
 * The folder boundaries of docs/ARCHITECTURE.md are enforced by ESLint; this checks the rules
 * really reject what they should (and allow what they should) by linting small sources in place.
 */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

const eslint = new ESLint();

async function restricted(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? [])
    .filter(
      (message) =>
        message.ruleId === 'no-restricted-imports' || message.ruleId === 'no-restricted-globals',
    )
    .map((message) => message.message);
}

describe('folder boundaries', () => {
  it('keeps shared/ free of Electron, Node, DOM, React and other folders', async () => {
    const problems = await restricted(
      'shared/model/probe.ts',
      [
        "import { app } from 'electron';",
        "import fs from 'node:fs';",
        "import path from 'path';",
        "import { useState } from 'react';",
        "import { x } from '../../renderer/store';",
        "import { y } from '../../electron/main/app';",
        'export const z = [app, fs, path, useState, x, y, window.location];',
      ].join('\n'),
    );
    expect(problems).toHaveLength(7);
  }, 30_000);

  it('allows shared/ to use packages whose names merely look like built-ins', async () => {
    expect(
      await restricted(
        'shared/model/probe.ts',
        "import * as b from 'lib0/buffer';\nexport const z = b;",
      ),
    ).toEqual([]);
  }, 30_000);

  it('keeps Electron and Node out of renderer/', async () => {
    const problems = await restricted(
      'renderer/probe.ts',
      "import { ipcRenderer } from 'electron';\nimport fs from 'node:fs';\nimport { a } from '../electron/main/app';\nexport const z = [ipcRenderer, fs, a];",
    );
    expect(problems).toHaveLength(3);
  }, 30_000);

  it('keeps renderer code out of electron/', async () => {
    const problems = await restricted(
      'electron/main/probe.ts',
      "import { App } from '../../renderer/App';\nexport const z = App;",
    );
    expect(problems).toHaveLength(1);
  }, 30_000);
});
