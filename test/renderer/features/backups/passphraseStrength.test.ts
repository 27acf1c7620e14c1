import { describe, expect, it } from 'vitest';
import { strengthHint } from '../../../../renderer/features/backups/passphraseStrength';

describe('the export passphrase strength hint', () => {
  it('nudges towards long passphrases and never calls a short one strong', () => {
    expect(strengthHint('')).toMatch(/unrelated words/);
    expect(strengthHint('Ab1!Ab1!')).toBe('Too short.');
    expect(strengthHint('lisbonporto')).toMatch(/^Fair/);
    expect(strengthHint('Lisbon-Porto 28')).toBe('Strong.');
    expect(strengthHint('pastel de nata at eight')).toBe('Strong.');
  });
});
