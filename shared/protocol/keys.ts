/**
 * Workspace secrets and everything derived from them for sync.
 *
 * The derivations (labels, encodings) are part of the wire protocol: another client must compute
 * exactly the same strings to meet Outpost peers. They are specified in the header of
 * ./invite.ts together with the invite format.
 */
import { fromBase64Url, toBase64Url, toHex } from './bytes';

/** Length in bytes of a workspace id (128 bits). */
export const WORKSPACE_ID_BYTES = 16;
/** Length in bytes of a workspace secret key (256 bits). */
export const SECRET_KEY_BYTES = 32;

/** Domain-separation label for the y-webrtc `password`. */
export const PASSWORD_LABEL = 'outpost/password/v1';

/** A workspace id as 32 lower-case hex characters. */
export const WORKSPACE_ID_PATTERN = /^[0-9a-f]{32}$/;

/** The two random values that define a team workspace. */
export interface WorkspaceSecrets {
  /** 128-bit random id, as 32 lower-case hex characters (see {@link WORKSPACE_ID_PATTERN}). */
  readonly workspaceId: string;
  /** 256-bit random secret key. Whoever holds it can read and write the workspace. */
  readonly secretKey: Uint8Array;
}

/** Generates a fresh workspace id and secret key from the platform's CSPRNG. */
export function createWorkspaceSecrets(): WorkspaceSecrets {
  const id = globalThis.crypto.getRandomValues(new Uint8Array(WORKSPACE_ID_BYTES));
  const secretKey = globalThis.crypto.getRandomValues(new Uint8Array(SECRET_KEY_BYTES));
  return { workspaceId: toHex(id), secretKey };
}

/** Whether `key` is a 32-byte secret key (and not all zeros, which no CSPRNG produces). */
export function isSecretKey(key: Uint8Array): boolean {
  return key.length === SECRET_KEY_BYTES && key.some((byte) => byte !== 0);
}

/** Encodes a secret key as unpadded base64url (43 characters), e.g. for storage. */
export function secretKeyToText(key: Uint8Array): string {
  assertSecretKey(key);
  return toBase64Url(key);
}

/** Decodes {@link secretKeyToText}'s output; `undefined` if the text is not a valid key. */
export function secretKeyFromText(text: string): Uint8Array | undefined {
  const key = fromBase64Url(text);
  return key !== undefined && isSecretKey(key) ? key : undefined;
}

/**
 * The y-webrtc `password` option: unpadded base64url of
 * HMAC-SHA-256(secretKey, "outpost/password/v1") — 43 characters. y-webrtc stretches it with
 * PBKDF2 (salt = room name, roomEpoch.ts) into the AES-GCM key that encrypts every signaling message and
 * BroadcastChannel message, so signaling servers relay only ciphertext.
 */
export async function deriveSignalingPassword(secretKey: Uint8Array): Promise<string> {
  return toBase64Url(await hmacSha256(secretKey, PASSWORD_LABEL));
}

/** HMAC-SHA-256 of the UTF-8 `label` under a workspace secret key (RangeError for a bad key). */
export async function hmacSha256(secretKey: Uint8Array, label: string): Promise<Uint8Array> {
  assertSecretKey(secretKey);
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey(
    'raw',
    Uint8Array.from(secretKey),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await subtle.sign('HMAC', key, new TextEncoder().encode(label)));
}

function assertSecretKey(key: Uint8Array): void {
  if (!isSecretKey(key)) {
    throw new RangeError(`A secret key is ${SECRET_KEY_BYTES} random bytes.`);
  }
}
