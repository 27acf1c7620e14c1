/**
 * How a document's stored rows are sealed and opened (shared/protocol/atRest.ts has the format).
 * Written for any Yjs document a device stores, not one per workspace: the scope names the
 * workspace and the document, so rows of one note's document would not open as another's.
 *
 * Rows that carry no sealed header are plain rows an earlier version wrote: they are read as
 * they are (and compaction then rewrites them sealed), so existing workspaces migrate on their
 * first open with a key. A row that looks sealed but does not open is reported, never applied.
 */
import {
  SEALED_PURPOSE,
  looksSealed,
  open,
  openSync,
  sealSync,
  sealedPurpose,
  type AtRestKey,
} from '../protocol/atRest';
import { rowBytes } from './recovery';
import type { FileSealer } from './workspaceFile';

/** Which kind of row is being written. */
export type RowKind = 'update' | 'state' | 'journal' | 'file';

/** A stored value, opened: the value to apply, or why it cannot be. */
export type OpenedRow =
  { readonly ok: true; readonly value: unknown; readonly plain: boolean } | { readonly ok: false };

export interface RowCodec {
  /** Resolves once the codec can seal (its key derived); absent when it always can. */
  readonly ready?: Promise<void>;
  /** Whether rows are written sealed (false: the person chose "not encrypted" on this device). */
  readonly sealing: boolean;
  /** The stored form of `bytes` (synchronous: a change is written in the task it happened in). */
  seal(kind: RowKind, bytes: Uint8Array): Uint8Array;
  /** Opens a stored row of the `updates` store (an update or a compacted state). */
  open(value: unknown): Promise<OpenedRow>;
  /** Opens a stored value of `kind` synchronously (the journal, rows inside a compaction). */
  openSync(kind: RowKind | 'row', value: unknown): OpenedRow;
}

const PURPOSE = {
  update: SEALED_PURPOSE.update,
  state: SEALED_PURPOSE.state,
  journal: SEALED_PURPOSE.journal,
  file: SEALED_PURPOSE.file,
} as const;

function rowPurpose(bytes: Uint8Array): typeof SEALED_PURPOSE.update | typeof SEALED_PURPOSE.state {
  return sealedPurpose(bytes) === SEALED_PURPOSE.state
    ? SEALED_PURPOSE.state
    : SEALED_PURPOSE.update;
}

/**
 * The sealer of a workspace's backup files (shared/storage/workspaceFile.ts version 2) with the
 * same key, or undefined when `codec` stores plain (the files then stay version 1).
 */
export function fileSealer(codec: RowCodec): FileSealer | undefined {
  if (!codec.sealing) return undefined;
  return {
    seal: (state) => codec.seal('file', state),
    open(payload) {
      const opened = codec.openSync('file', payload);
      return opened.ok && !opened.plain && opened.value instanceof Uint8Array ? opened.value : null;
    },
  };
}

/** Rows stored as they are (no key on this device). Sealed rows it meets stay unreadable. */
export const PLAIN_ROWS: RowCodec = {
  sealing: false,
  seal: (_kind, bytes) => bytes,
  open: (value) => Promise.resolve({ ok: true, value, plain: true }),
  openSync: (_kind, value) => ({ ok: true, value, plain: true }),
};

/** The scope of a document's rows: its workspace database and the document in it. */
export function rowScope(databaseName: string, documentName = 'workspace'): string {
  return `${databaseName}/${documentName}`;
}

/** Rows sealed with `key` (a workspace's key) in `scope` (see {@link rowScope}). */
export function sealedRows(key: AtRestKey, scope: string): RowCodec {
  return {
    sealing: true,
    seal: (kind, bytes) => sealSync(key, PURPOSE[kind], scope, bytes),
    async open(value) {
      const bytes = rowBytes(value);
      if (!bytes || !looksSealed(bytes)) return { ok: true, value, plain: true };
      const plain = await open(key, rowPurpose(bytes), scope, bytes);
      return plain ? { ok: true, value: plain, plain: false } : { ok: false };
    },
    openSync(kind, value) {
      const bytes = rowBytes(value);
      if (!bytes || !looksSealed(bytes)) return { ok: true, value, plain: true };
      const purpose = kind === 'row' ? rowPurpose(bytes) : PURPOSE[kind];
      const plain = openSync(key, purpose, scope, bytes);
      return plain ? { ok: true, value: plain, plain: false } : { ok: false };
    },
  };
}

/**
 * A codec whose key is still being derived: opening waits for it, and `ready` resolves once it
 * is there. Storage waits for `ready` before loading, and nothing is written before a load, so
 * sealing never runs ahead of the key.
 */
export function codecWhenReady(pending: Promise<RowCodec>): RowCodec & { ready: Promise<void> } {
  let codec: RowCodec | null = null;
  const ready = pending.then((resolved) => {
    codec = resolved;
  });
  const now = (): RowCodec => {
    if (!codec) throw new Error('The storage key is not ready yet.');
    return codec;
  };
  return {
    ready,
    get sealing() {
      return now().sealing;
    },
    seal: (kind, bytes) => now().seal(kind, bytes),
    open: (value) => ready.then(() => now().open(value)),
    openSync: (kind, value) => now().openSync(kind, value),
  };
}
