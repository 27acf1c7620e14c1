/**
 * Images kept inside a workspace (docs/PROTOCOL.md §1.8): the bytes live in the document itself,
 * so they sync and back up with the notes that show them, under the SHA-256 of their content, so
 * the same picture imported twice (or by two people) is stored once. Because every peer holds
 * every attachment, sizes are capped per file and per workspace, and a peer's entry is checked
 * when read: only PNG, JPEG, GIF and WebP bytes (by their signature, not their name) within the
 * cap are ever shown; anything else is "not available", never the workspace's problem.
 */
import * as Y from 'yjs';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ROOT } from './roots';
import { oneLine } from '../core/text';

/** The largest image Outpost keeps. */
export const ATTACHMENT_MAX_BYTES = 2 * 1024 * 1024;
/** The most image bytes one workspace keeps, all attachments together. */
export const WORKSPACE_ATTACHMENTS_MAX_BYTES = 32 * 1024 * 1024;

const KEY_PATTERN = /^[0-9a-f]{64}$/;

/** Image types Outpost shows, with the bytes each file format starts with. */
const SIGNATURES: ReadonlyArray<readonly [string, (bytes: Uint8Array) => boolean]> = [
  ['image/png', (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['image/jpeg', (b) => startsWith(b, [0xff, 0xd8, 0xff])],
  ['image/gif', (b) => startsWith(b, [0x47, 0x49, 0x46, 0x38])],
  [
    'image/webp',
    (b) =>
      startsWith(b, [0x52, 0x49, 0x46, 0x46]) &&
      startsWith(b.subarray(8), [0x57, 0x45, 0x42, 0x50]),
  ],
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

/** The image type of some bytes by their signature, or null when they are not an image Outpost shows. */
export function sniffImageType(bytes: Uint8Array): string | null {
  return SIGNATURES.find(([, matches]) => matches(bytes))?.[0] ?? null;
}

/** The key an attachment is stored under: the SHA-256 of its bytes, in lower-case hex. */
export function attachmentKey(bytes: Uint8Array): string {
  return bytesToHex(sha256(bytes));
}

/** An image as read back for showing. */
export interface Attachment {
  readonly key: string;
  readonly name: string;
  readonly type: string;
  readonly bytes: Uint8Array;
}

function root(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(ROOT.attachments);
}

function sizeOf(entry: unknown): number {
  if (!(entry instanceof Y.Map)) return 0;
  const bytes = entry.get('bytes');
  return bytes instanceof Uint8Array ? bytes.byteLength : 0;
}

/** The bytes of images the workspace holds (whatever a peer wrote, valid or not). */
export function attachmentsUsage(doc: Y.Doc): number {
  let total = 0;
  root(doc).forEach((entry) => {
    total += sizeOf(entry);
  });
  return total;
}

/** True when the workspace holds an attachment under this key. */
export function hasAttachment(doc: Y.Doc, key: string): boolean {
  return root(doc).has(key);
}

/**
 * Reads an attachment for showing, or null when it is missing or not something Outpost shows: a
 * key that is not a hash, no bytes, bytes over the cap, or bytes that are not PNG, JPEG, GIF or
 * WebP whatever the entry says (an SVG could carry script; a peer may lie about the type).
 */
export function readAttachment(doc: Y.Doc, key: string): Attachment | null {
  if (!KEY_PATTERN.test(key)) return null;
  const entry = root(doc).get(key);
  if (!(entry instanceof Y.Map)) return null;
  const bytes = entry.get('bytes');
  if (!(bytes instanceof Uint8Array) || bytes.byteLength > ATTACHMENT_MAX_BYTES) return null;
  const type = sniffImageType(bytes);
  if (!type) return null;
  const name = entry.get('name');
  return { key, name: typeof name === 'string' ? oneLine(name).slice(0, 200) : '', type, bytes };
}

/** Why an image cannot be kept, as a sentence naming it; null when it can. */
export function attachmentProblem(name: string, bytes: Uint8Array): string | null {
  if (bytes.byteLength > ATTACHMENT_MAX_BYTES)
    return `“${name}” is ${megabytes(bytes.byteLength)} MB; Outpost keeps images up to ${megabytes(ATTACHMENT_MAX_BYTES)} MB each.`;
  if (!sniffImageType(bytes))
    return `“${name}” is not a PNG, JPEG, GIF or WebP image, the kinds Outpost keeps and shows.`;
  return null;
}

function megabytes(bytes: number): string {
  const value = bytes / 1024 / 1024;
  return value >= 10 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
}

/** The sentence for an image refused because the workspace is full. */
export function workspaceFullProblem(name: string): string {
  return `“${name}” was not kept: the workspace’s images would pass ${megabytes(WORKSPACE_ATTACHMENTS_MAX_BYTES)} MB.`;
}

/**
 * Stores an image under its key unless it is already there; call inside the caller's transaction.
 * The caller has checked it (`attachmentProblem`) and the workspace's room for it.
 */
export function putAttachment(
  doc: Y.Doc,
  actor: string,
  now: number,
  key: string,
  name: string,
  bytes: Uint8Array,
): void {
  const attachments = root(doc);
  if (attachments.has(key)) return;
  const entry = new Y.Map<unknown>();
  attachments.set(key, entry);
  entry.set('name', oneLine(name).slice(0, 200));
  entry.set('type', sniffImageType(bytes) ?? 'application/octet-stream');
  entry.set('bytes', bytes);
  entry.set('createdAt', now);
  entry.set('createdBy', actor);
}
