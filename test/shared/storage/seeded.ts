/** A small seeded PRNG (mulberry32) for the randomized storage tests; seeds are printed on failure. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random bytes of a random length up to `max`. */
export function randomBytes(random: () => number, max: number): Uint8Array {
  const bytes = new Uint8Array(Math.floor(random() * max));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

/** A copy of `source` with a few bytes flipped, and sometimes cut short. */
export function damage(random: () => number, source: Uint8Array): Uint8Array {
  let bytes = source.slice();
  const flips = 1 + Math.floor(random() * 4);
  for (let k = 0; k < flips && bytes.length > 0; k++) {
    const at = Math.floor(random() * bytes.length);
    bytes[at] = bytes[at]! ^ (1 + Math.floor(random() * 255));
  }
  if (random() < 0.3) bytes = bytes.slice(0, Math.floor(random() * bytes.length));
  return bytes;
}
