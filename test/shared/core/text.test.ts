import { describe, expect, it } from 'vitest';
import { countOf } from '../../../shared/core/text';

describe('countOf', () => {
  it('says "1 device" and "2 devices", and takes an irregular plural', () => {
    expect(countOf(1, 'device')).toBe('1 device');
    expect(countOf(2, 'device')).toBe('2 devices');
    expect(countOf(0, 'device')).toBe('0 devices');
    expect(countOf(1, 'person', 'people')).toBe('1 person');
    expect(countOf(3, 'person', 'people')).toBe('3 people');
  });
});
