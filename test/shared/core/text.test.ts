import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countOf, oneLine } from '../../../shared/core/text';

describe('countOf', () => {
  it('says "1 device" and "2 devices", and takes an irregular plural', () => {
    expect(countOf(1, 'device')).toBe('1 device');
    expect(countOf(2, 'device')).toBe('2 devices');
    expect(countOf(0, 'device')).toBe('0 devices');
    expect(countOf(1, 'person', 'people')).toBe('1 person');
    expect(countOf(3, 'person', 'people')).toBe('3 people');
  });
});

describe('oneLine', () => {
  const reference = (text: string) => text.replace(/\s+/g, ' ').trim();

  it('puts any text on one line as collapsing every run of white space and trimming does', () => {
    const char = fc.constantFrom(
      'a',
      'é',
      ' ',
      '  ',
      '\n',
      '\r\n',
      '\t',
      '\u00a0',
      '\u2003',
      '\ufeff',
    );
    fc.assert(
      fc.property(fc.array(char, { maxLength: 12 }), (chars) => {
        const text = chars.join('');
        expect(oneLine(text)).toBe(reference(text));
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives back text already on one line as it is', () => {
    for (const text of ['', 'a', 'plan the week', 'Café au lait at 9'])
      expect(oneLine(text)).toBe(text);
    expect(oneLine(' a')).toBe('a');
    expect(oneLine('a\tb')).toBe('a b');
    expect(oneLine('a\u00a0b')).toBe('a b');
  });
});
