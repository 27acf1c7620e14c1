/** Every offered profile colour has a spoken name; an unknown one falls back to its code. */
import { describe, expect, it } from 'vitest';
import { PROFILE_COLORS } from '../../../shared/schema/profile';
import { colorName } from '../../../renderer/components/colorNames';

describe('colour names', () => {
  it('names every profile colour in words', () => {
    const names = PROFILE_COLORS.map(colorName);
    for (const name of names) expect(name).toMatch(/^[A-Z][a-z]+$/);
    expect(new Set(names).size).toBe(PROFILE_COLORS.length);
  });

  it('falls back to the code for a colour it does not know', () => {
    expect(colorName('#123456')).toBe('#123456');
  });
});
