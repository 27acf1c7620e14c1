import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  keepAside,
  readJsonFile,
  writeFileAtomic,
  writeFileAtomicSync,
} from '../../../electron/main/jsonFile';
import { useTmpDir } from '../tmpDir';

const makeTmpDir = useTmpDir();
const Schema = z.object({ n: z.number() });

describe('readJsonFile', () => {
  it('tells a missing file from a valid and an invalid one', async () => {
    const dir = await makeTmpDir();
    const file = path.join(dir, 'x.json');
    expect(await readJsonFile(file, Schema)).toEqual({ kind: 'missing' });
    await writeFile(file, '{"n": 1}');
    expect(await readJsonFile(file, Schema)).toEqual({ kind: 'ok', value: { n: 1 } });
    await writeFile(file, '{"n": "one"}');
    const invalid = await readJsonFile(file, Schema);
    expect(invalid.kind).toBe('invalid');
    expect(invalid.kind === 'invalid' && invalid.reason).toMatch(
      /^it holds unexpected values \(n: /,
    );
  });

  it('treats an unreadable path (a folder) as invalid, not missing', async () => {
    const dir = await makeTmpDir();
    expect((await readJsonFile(dir, Schema)).kind).toBe('invalid');
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file whole and leaves only the file behind', async () => {
    const dir = await makeTmpDir();
    const file = path.join(dir, 'nested', 'x.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    writeFileAtomicSync(file, 'three');
    expect(await readFile(file, 'utf8')).toBe('three');
    expect(await readdir(path.dirname(file))).toEqual(['x.json']);
  });

  it('cleans up its temporary file when the rename fails', async () => {
    const dir = await makeTmpDir();
    // A folder is in the way of the target name, so the final rename fails.
    const target = path.join(dir, 'taken');
    await writeFile(path.join(dir, 'placeholder'), '');
    await mkdir(path.join(target, 'inner'), { recursive: true });
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect(() => writeFileAtomicSync(target, 'data')).toThrow();
    expect((await readdir(dir)).sort()).toEqual(['placeholder', 'taken']);
  });
});

describe('keepAside', () => {
  it('moves the file to a timestamped name and never overwrites an earlier one', async () => {
    const dir = await makeTmpDir();
    const file = path.join(dir, 'settings.json');
    const now = new Date('2025-03-04T05:06:07.089Z');
    await writeFile(file, 'first');
    const firstKept = await keepAside(file, now);
    await writeFile(file, 'second');
    const secondKept = await keepAside(file, now);

    expect(path.basename(firstKept)).toBe('settings.json.corrupt-2025-03-04T05-06-07-089Z');
    expect(path.basename(secondKept)).toBe('settings.json.corrupt-2025-03-04T05-06-07-089Z-1');
    expect(await readFile(firstKept, 'utf8')).toBe('first');
    expect(await readFile(secondKept, 'utf8')).toBe('second');
    expect(await readdir(dir)).not.toContain('settings.json');
  });
});
