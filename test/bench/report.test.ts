import { describe, expect, it } from 'vitest';
import { growthExponent, scalingResult } from '../../bench/report';

describe('growthExponent', () => {
  it('recovers k from values that grow as size^k', () => {
    const sizes = [2_500, 5_000, 10_000];
    expect(growthExponent(sizes.map((n) => [n, 3 * n] as const))).toBeCloseTo(1, 10);
    expect(growthExponent(sizes.map((n) => [n, 0.01 * n ** 2] as const))).toBeCloseTo(2, 10);
    expect(growthExponent(sizes.map((n) => [n, 7] as const))).toBeCloseTo(0, 10);
  });

  it('fits the least-squares slope when the points are not exactly a power law', () => {
    // log-log points (0, 0), (1, 1), (2, 3): slope 1.5.
    const e = Math.E;
    expect(
      growthExponent([
        [1, 1],
        [e, e],
        [e ** 2, e ** 3],
      ]),
    ).toBeCloseTo(1.5, 10);
  });
});

describe('scalingResult', () => {
  it('reports the exponent as the value and every point in the note', () => {
    const result = scalingResult(
      'x.scaling',
      'what',
      [
        [1_000, 10],
        [4_000, 40],
      ],
      'ms',
    );
    expect(result.value).toBeCloseTo(1, 10);
    expect(result.unit).toBe('exponent');
    expect(result.note).toContain('1000: 10.0 ms');
    expect(result.note).toContain('4000: 40.0 ms');
  });
});
