import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  AWARENESS_LIMITS,
  UnreadableValue,
  previewJson,
  readBounded,
} from '../../../shared/model/bounded';

/** A JSON text nested `depth` levels deep, as an awareness update carries a peer's state. */
const deepJsonText = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe('readBounded', () => {
  it('turns Y maps and arrays with JSON inside into plain data', () => {
    const doc = new Y.Doc();
    const map = doc.getMap<unknown>('m');
    const list = new Y.Array<unknown>();
    map.set('list', list);
    list.push([{ deep: [1, 'two'] }, null]);
    map.set('flag', true);
    expect(readBounded(map)).toEqual({
      ok: true,
      value: { list: [{ deep: [1, 'two'] }, null], flag: true },
    });
  });

  it('refuses a value nested beyond the depth limit without overflowing the stack', () => {
    // JSON.parse is iterative; a recursive reader of its result is not.
    const state = JSON.parse(deepJsonText(200_000)) as unknown;
    expect(readBounded(state, AWARENESS_LIMITS)).toEqual({
      ok: false,
      problem: 'the stored value is nested more than 8 levels deep',
    });
    const doc = new Y.Doc();
    doc.transact(() => {
      let at = doc.getMap<unknown>('m');
      for (let level = 0; level < 12_000; level++) {
        const next = new Y.Map<unknown>();
        at.set('a', next);
        at = next;
      }
    });
    expect(readBounded(doc.getMap('m'))).toMatchObject({ ok: false });
  });

  it('refuses too many values and too many characters', () => {
    expect(readBounded(new Array(1_001).fill(0), AWARENESS_LIMITS)).toEqual({
      ok: false,
      problem: 'the stored value holds more than 1,000 values',
    });
    expect(readBounded({ name: 'x'.repeat(20_001) }, AWARENESS_LIMITS)).toEqual({
      ok: false,
      problem: 'the stored value holds more than 20,000 characters',
    });
  });

  it('keeps a peer’s __proto__ key as data and gives rich text no plain form', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    const read = readBounded(value);
    expect(read.ok && Object.getPrototypeOf(read.value)).toBe(Object.prototype);
    expect(read.ok && Object.keys(read.value as object)).toEqual(['__proto__']);
    const doc = new Y.Doc();
    doc.getMap<unknown>('m').set('text', new Y.Text('hi'));
    const withText = readBounded(doc.getMap('m'));
    expect(withText.ok && (withText.value as { text: unknown }).text).toBeInstanceOf(
      UnreadableValue,
    );
  });
});

describe('previewJson', () => {
  it('writes the start of a deep or huge value and stops', () => {
    const deep = JSON.parse(deepJsonText(200_000)) as unknown;
    expect(previewJson(deep, 20)).toEqual({ text: '{"a":{"a":{"a":{"a":', cut: true });
    expect(previewJson({ s: 'x'.repeat(5_000_000) }, 10)).toEqual({
      text: '{"s":"xxxx',
      cut: true,
    });
    expect(previewJson({ a: [1, 'b', null] }, 100)).toEqual({
      text: '{"a":[1,"b",null]}',
      cut: false,
    });
  });
});
