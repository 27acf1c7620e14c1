/**
 * Encrypted workspace exports (workspace file version 3, or 4 for a bundle of body documents,
 * docs/PROTOCOL.md §6.2): the payload is the workspace's Yjs update (or bundle) sealed (shared/protocol/atRest.ts format, purpose `file`) under a
 * key stretched from a passphrase the person chose, so the file opens on any device that is
 * given the passphrase and nowhere else. The header says how the key was stretched (count and
 * salt) and names no workspace; its fields are the seal's additional data, so a header edited
 * to say something else (other counts, another id) makes the file not open rather than lie.
 */
import { fail, type Result } from '../result';
import {
  PASSPHRASE_ITERATIONS,
  SEALED_PURPOSE,
  open,
  passphraseKey,
  seal,
} from '../protocol/atRest';
import { fromBase64Url, toBase64Url } from '../protocol/bytes';
import {
  assembleWorkspaceFile,
  checkPayload,
  headerFields,
  passphraseFileHeader,
  protectionOf,
  verifyWorkspaceFile,
  type WorkspaceFile,
  type WorkspaceFileHeader,
  type WorkspaceFileInput,
  type WorkspaceFileProblem,
} from './workspaceFile';

const SALT_BYTES = 16;

/** Fixed inputs, for test vectors only: a salt or nonce must never be reused. */
export interface PassphraseFileVectorInputs {
  readonly iterations?: number;
  readonly salt?: Uint8Array;
  readonly nonce?: Uint8Array;
}

/** The seal's scope: the header's fields, so none of them can be changed unnoticed. */
function scopeOf(fields: Omit<WorkspaceFileHeader, 'checksum' | 'payloadBytes'>): string {
  return `outpost-export/${JSON.stringify(headerFields(fields))}`;
}

/**
 * Builds a workspace file sealed with a key from `passphrase`: version 3, or version 4 when
 * `input.state` is a bundle (`input.bundle`).
 */
export async function encodePassphraseWorkspaceFile(
  input: WorkspaceFileInput,
  passphrase: string,
  fixed: PassphraseFileVectorInputs = {},
): Promise<Uint8Array> {
  const iterations = fixed.iterations ?? PASSPHRASE_ITERATIONS;
  const salt = fixed.salt ?? globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  if (salt.length !== SALT_BYTES) throw new Error('A salt is 16 bytes.');
  const fields = passphraseFileHeader(input, { iterations, salt: toBase64Url(salt) });
  const key = await passphraseKey(passphrase, salt, iterations);
  const payload = await seal(key, SEALED_PURPOSE.file, scopeOf(fields), input.state, fixed.nonce);
  return assembleWorkspaceFile(fields, payload);
}

/** Whether a checked header is of a file that opens only with a passphrase. */
export function needsPassphrase(header: WorkspaceFileHeader): boolean {
  return protectionOf(header) === 'passphrase';
}

/**
 * Reads a file sealed with a passphrase (version 3 or 4) with `passphrase`: header, length and checksum first (as for any
 * version), then the seal, then that the data is a workspace. Nothing is changed anywhere.
 */
export async function decodePassphraseWorkspaceFile(
  file: Uint8Array,
  passphrase: string,
): Promise<Result<WorkspaceFile>> {
  const verified = verifyWorkspaceFile(file);
  if (!verified.ok) return verified;
  const { header, state: sealed } = verified.value;
  const salt = header.salt === undefined ? undefined : fromBase64Url(header.salt);
  if (!needsPassphrase(header) || salt?.length !== SALT_BYTES || header.iterations === undefined)
    return fail(
      'bad-header' satisfies WorkspaceFileProblem,
      'This workspace file is not encrypted with a passphrase (or its header is damaged).',
    );
  const key = await passphraseKey(passphrase, salt, header.iterations);
  const state = await open(key, SEALED_PURPOSE.file, scopeOf(header), sealed);
  if (!state)
    return fail(
      'wrong-passphrase' satisfies WorkspaceFileProblem,
      'That passphrase does not open this file. Check it (capitals, spaces) and try again.',
    );
  return checkPayload(header, state);
}
