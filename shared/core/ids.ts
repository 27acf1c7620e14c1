/** Random, URL-safe record ids (128 bits), so replicas never collide without coordination. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Returns a new random id of 22 URL-safe characters. */
export function newId(): string {
  const bytes = new Uint8Array(22);
  globalThis.crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 63];
  return id;
}

/** Ids accepted from other replicas: URL-safe, 8 to 64 characters. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
