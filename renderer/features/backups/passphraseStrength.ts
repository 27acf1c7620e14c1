import { MIN_PASSPHRASE_LENGTH } from '../../sync/atRestKeys';

/**
 * A rough word on the passphrase's strength: its length and how many kinds of character it
 * mixes. Only a nudge; the one rule enforced is the minimum length.
 */
export function strengthHint(passphrase: string): string {
  if (passphrase.length === 0) return 'Several unrelated words are strong and easy to type.';
  const kinds = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((kind) =>
    kind.test(passphrase),
  ).length;
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) return 'Too short.';
  if (passphrase.length >= 20 || (passphrase.length >= 14 && kinds >= 3)) return 'Strong.';
  return 'Fair: a longer one (more words) is stronger.';
}
