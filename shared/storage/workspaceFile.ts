/**
 * The Outpost workspace file: one whole workspace in one file, used for exports and for the
 * automatic backups the main process keeps. Layout (see docs/PROTOCOL.md §6):
 *
 *   <header JSON, UTF-8, one line>\n<payload: Yjs update v1 of the whole document>
 *
 * The header names the format, its version, the workspace and what it holds, and carries a
 * SHA-256 checksum over the header's other fields and the payload, so a truncated, edited or
 * damaged file is recognised before anything is changed.
 *
 * Version 2 (automatic backups) is sealed at rest: the payload is the Yjs update sealed with the
 * workspace's key (shared/protocol/atRest.ts, purpose `file`), and the header leaves the name
 * out. The main process still checks its length and checksum without any key. Version 3
 * (encrypted exports) is sealed with a key stretched from a passphrase the person chose; its
 * header carries the stretching's salt and count (shared/storage/passphraseFile.ts seals and
 * opens it). Version 1 files (unencrypted exports, backups of earlier versions) are read as before.
 *
 * Version 4 holds a workspace whose bodies are documents of their own (schema 2, PROTOCOL §6.2):
 * its payload is a bundle (workspaceBundle.ts) of the root and every body document, protected as
 * `encoding` says (plain, sealed with the workspace's key, or sealed with a passphrase), so that
 * an Outpost that cannot read bodies kept apart says "made by a newer Outpost" instead of
 * importing a workspace without its text.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { digest } from 'lib0/hash/sha256';
import { toHexString } from 'lib0/buffer';
import { fail, ok, type Result } from '../result';
import { ROOT } from '../model/roots';
import { ID_PATTERN } from '../core/ids';
import { decodeBundle, type WorkspaceBundle } from './workspaceBundle';

export const WORKSPACE_FILE_FORMAT = 'outpost-workspace';
export const WORKSPACE_FILE_VERSION = 1;
/** The version of files whose payload is sealed at rest. */
export const SEALED_WORKSPACE_FILE_VERSION = 2;
/** The version of files sealed with a passphrase (encrypted exports). */
export const PASSPHRASE_WORKSPACE_FILE_VERSION = 3;
/** The version of files holding a root and its body documents (schema 2), in any protection. */
export const BUNDLE_WORKSPACE_FILE_VERSION = 4;
/** The newest version this build reads. */
const NEWEST_VERSION = BUNDLE_WORKSPACE_FILE_VERSION;
/**
 * PBKDF2 counts a version-3 header may name: below is too weak to be one of ours, above would
 * keep the app busy for minutes on a crafted file.
 */
export const PASSPHRASE_FILE_ITERATIONS = { min: 100_000, max: 10_000_000 } as const;
/** How a file's payload is protected: not at all, the workspace's key, or a passphrase. */
export type FileProtection = 'plain' | 'sealed' | 'passphrase';
/** What each version's payload is, by protection (versions 1–3 each have one). */
const ENCODINGS = {
  1: { plain: 'yjs-update-v1' },
  2: { sealed: 'sealed-yjs-update-v1' },
  3: { passphrase: 'passphrase-sealed-yjs-update-v1' },
  4: {
    plain: 'outpost-bundle-v1',
    sealed: 'sealed-outpost-bundle-v1',
    passphrase: 'passphrase-sealed-outpost-bundle-v1',
  },
} as const satisfies Record<number, Partial<Record<FileProtection, string>>>;
type FileVersion = keyof typeof ENCODINGS;
const ALL_ENCODINGS = [
  'yjs-update-v1',
  'sealed-yjs-update-v1',
  'passphrase-sealed-yjs-update-v1',
  'outpost-bundle-v1',
  'sealed-outpost-bundle-v1',
  'passphrase-sealed-outpost-bundle-v1',
] as const;
type FileEncoding = (typeof ALL_ENCODINGS)[number];

/** The protection an encoding names, or null when `version` has no such encoding. */
function protectionIn(version: FileVersion, encoding: FileEncoding): FileProtection | null {
  const named: Partial<Record<FileProtection, string>> = ENCODINGS[version];
  for (const protection of ['plain', 'sealed', 'passphrase'] as const)
    if (named[protection] === encoding) return protection;
  return null;
}

/** How a checked header's payload is protected. */
export function protectionOf(header: Pick<WorkspaceFileHeader, 'encoding'>): FileProtection {
  return header.encoding.startsWith('passphrase-')
    ? 'passphrase'
    : header.encoding.startsWith('sealed-')
      ? 'sealed'
      : 'plain';
}

/** Whether a checked header's payload is a bundle of a root and its body documents (version 4). */
export function holdsBundle(header: Pick<WorkspaceFileHeader, 'version'>): boolean {
  return header.version === BUNDLE_WORKSPACE_FILE_VERSION;
}
/** The extension exports and backups use. */
export const WORKSPACE_FILE_EXTENSION = '.outpost';
/** A header line longer than this is not ours (ours are a few hundred bytes). */
const MAX_HEADER_BYTES = 16 * 1024;

export const BackupReason = z.enum([
  'change',
  'quit',
  'manual',
  'export',
  'before-restore',
  'before-delete',
]);
export type BackupReason = z.infer<typeof BackupReason>;

export const RecordCounts = z
  .object({
    notes: z.number().int().nonnegative(),
    goals: z.number().int().nonnegative(),
    decisions: z.number().int().nonnegative(),
    members: z.number().int().nonnegative(),
  })
  .strict();
export type RecordCounts = z.infer<typeof RecordCounts>;

export const WorkspaceFileHeader = z
  .object({
    format: z.literal(WORKSPACE_FILE_FORMAT),
    version: z.union([
      z.literal(WORKSPACE_FILE_VERSION),
      z.literal(SEALED_WORKSPACE_FILE_VERSION),
      z.literal(PASSPHRASE_WORKSPACE_FILE_VERSION),
      z.literal(BUNDLE_WORKSPACE_FILE_VERSION),
    ]),
    workspaceId: z.string().regex(ID_PATTERN),
    workspaceName: z.string().max(200),
    createdAt: z.number().int().nonnegative(),
    reason: BackupReason,
    encoding: z.enum(ALL_ENCODINGS),
    counts: RecordCounts,
    /** Version 3 only: how the key is stretched from the passphrase (salt: 16 bytes, base64url). */
    kdf: z.literal('PBKDF2-SHA-256').optional(),
    iterations: z
      .number()
      .int()
      .min(PASSPHRASE_FILE_ITERATIONS.min)
      .max(PASSPHRASE_FILE_ITERATIONS.max)
      .optional(),
    salt: z
      .string()
      .regex(/^[A-Za-z0-9_-]{22}$/)
      .optional(),
    payloadBytes: z.number().int().nonnegative(),
    checksum: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  })
  .strict()
  .superRefine((header, context) => {
    const protection = protectionIn(header.version, header.encoding);
    if (protection === null)
      context.addIssue({
        code: 'custom',
        path: ['encoding'],
        message: `version ${header.version} files are ${Object.values(ENCODINGS[header.version]).join(' or ')}`,
      });
    const withKdf = protection === 'passphrase';
    for (const field of ['kdf', 'iterations', 'salt'] as const)
      if ((header[field] !== undefined) !== withKdf)
        context.addIssue({
          code: 'custom',
          path: [field],
          message: withKdf
            ? 'required in files sealed with a passphrase'
            : 'only in files sealed with a passphrase',
        });
    if (protection !== 'plain' && header.workspaceName !== '')
      context.addIssue({
        code: 'custom',
        path: ['workspaceName'],
        message: 'an encrypted file does not name its workspace',
      });
  });
export type WorkspaceFileHeader = z.infer<typeof WorkspaceFileHeader>;

export interface WorkspaceFileInput {
  readonly workspaceId: string;
  readonly workspaceName: string;
  readonly createdAt: number;
  readonly reason: BackupReason;
  /** The Yjs update of the whole document, or for a bundle (`bundle: true`) the bundle. */
  readonly state: Uint8Array;
  readonly counts: RecordCounts;
  /** `state` is a bundle of a root and its body documents (workspaceBundle.ts): version 4. */
  readonly bundle?: boolean;
}

/** The version and encoding of a file of `input` with `protection`. */
export function versionFor(
  input: Pick<WorkspaceFileInput, 'bundle'>,
  protection: FileProtection,
): { version: FileVersion; encoding: FileEncoding } {
  if (input.bundle)
    return {
      version: BUNDLE_WORKSPACE_FILE_VERSION,
      encoding: ENCODINGS[BUNDLE_WORKSPACE_FILE_VERSION][protection],
    };
  if (protection === 'sealed')
    return { version: SEALED_WORKSPACE_FILE_VERSION, encoding: ENCODINGS[2].sealed };
  if (protection === 'passphrase')
    return { version: PASSPHRASE_WORKSPACE_FILE_VERSION, encoding: ENCODINGS[3].passphrase };
  return { version: WORKSPACE_FILE_VERSION, encoding: ENCODINGS[1].plain };
}

/** Seals and opens a workspace file's payload (the workspace's at-rest key). */
export interface FileSealer {
  seal(state: Uint8Array): Uint8Array;
  /** The state, or null when the payload does not open with this key. */
  open(payload: Uint8Array): Uint8Array | null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * The header's fields but the checksum and the payload's length, in a fixed order: what the
 * checksum covers, and what a version-3 payload is bound to (its additional data).
 */
export function headerFields(
  header: Omit<WorkspaceFileHeader, 'checksum' | 'payloadBytes'>,
): unknown[] {
  const fields: unknown[] = [
    header.format,
    header.version,
    header.workspaceId,
    header.workspaceName,
    header.createdAt,
    header.reason,
    header.encoding,
    header.counts.notes,
    header.counts.goals,
    header.counts.decisions,
    header.counts.members,
  ];
  // Versions 1 and 2 keep the checksum they always had.
  if (protectionOf(header) === 'passphrase')
    fields.push(header.kdf, header.iterations, header.salt);
  return fields;
}

/** What the checksum covers: every header field but the checksum, in a fixed order, then the payload. */
function checksumOf(header: Omit<WorkspaceFileHeader, 'checksum'>, payload: Uint8Array): string {
  const fields = encoder.encode(
    JSON.stringify([...headerFields(header), header.payloadBytes]) + '\n',
  );
  const all = new Uint8Array(fields.length + payload.length);
  all.set(fields, 0);
  all.set(payload, fields.length);
  return `sha256:${toHexString(digest(all))}`;
}

/** How many records of each kind a document holds (live, archived and trashed alike). */
export function countRecords(doc: Y.Doc): RecordCounts {
  return {
    notes: doc.getMap(ROOT.notes).size,
    goals: doc.getMap(ROOT.goals).size,
    decisions: doc.getMap(ROOT.decisions).size,
    members: doc.getMap(ROOT.members).size,
  };
}

/**
 * Builds a workspace file from a document's encoded state (or a bundle, `input.bundle`): sealed
 * (version 2, or 4; no name in the header) when a `sealer` is given, plain (version 1, or 4)
 * otherwise.
 */
export function encodeWorkspaceFile(input: WorkspaceFileInput, sealer?: FileSealer): Uint8Array {
  const payload = sealer ? sealer.seal(input.state) : input.state;
  const { version, encoding } = versionFor(input, sealer ? 'sealed' : 'plain');
  return assembleWorkspaceFile(
    {
      format: WORKSPACE_FILE_FORMAT,
      version,
      workspaceId: input.workspaceId,
      workspaceName: sealer ? '' : input.workspaceName.slice(0, 200),
      createdAt: input.createdAt,
      reason: input.reason,
      encoding,
      counts: input.counts,
    },
    payload,
  );
}

/**
 * The header fields of a file sealed with a passphrase (version 3, or 4 for a bundle; no name:
 * the header is readable without the key).
 */
export function passphraseFileHeader(
  input: Omit<WorkspaceFileInput, 'state'>,
  kdf: { readonly iterations: number; readonly salt: string },
): Omit<WorkspaceFileHeader, 'checksum' | 'payloadBytes'> {
  const { version, encoding } = versionFor(input, 'passphrase');
  return {
    format: WORKSPACE_FILE_FORMAT,
    version,
    workspaceId: input.workspaceId,
    workspaceName: '',
    createdAt: input.createdAt,
    reason: input.reason,
    encoding,
    counts: input.counts,
    kdf: 'PBKDF2-SHA-256',
    iterations: kdf.iterations,
    salt: kdf.salt,
  };
}

/** The file: the header line (with length and checksum) and then the payload. */
export function assembleWorkspaceFile(
  fields: Omit<WorkspaceFileHeader, 'checksum' | 'payloadBytes'>,
  payload: Uint8Array,
): Uint8Array {
  const partial = { ...fields, payloadBytes: payload.length };
  const header: WorkspaceFileHeader = { ...partial, checksum: checksumOf(partial, payload) };
  const line = encoder.encode(JSON.stringify(header) + '\n');
  const file = new Uint8Array(line.length + payload.length);
  file.set(line, 0);
  file.set(payload, line.length);
  return file;
}

export type WorkspaceFileProblem =
  | 'not-outpost'
  | 'newer-version'
  | 'bad-header'
  | 'truncated'
  | 'checksum-mismatch'
  | 'damaged'
  | 'sealed-elsewhere'
  | 'needs-passphrase'
  | 'wrong-passphrase';

export interface ParsedHeader {
  readonly header: WorkspaceFileHeader;
  /** Where the payload starts in the file. */
  readonly payloadOffset: number;
}

/**
 * Reads and checks the header only (cheap: the main process lists backups with it). Fails with a
 * readable message for anything that is not a well-formed Outpost workspace file header.
 */
export function readWorkspaceFileHeader(file: Uint8Array): Result<ParsedHeader> {
  const limit = Math.min(file.length, MAX_HEADER_BYTES);
  const newline = file.subarray(0, limit).indexOf(0x0a);
  const notOurs = fail<ParsedHeader>(
    'not-outpost' satisfies WorkspaceFileProblem,
    'This is not an Outpost workspace file (it has no Outpost header).',
  );
  if (file.length === 0)
    return fail('truncated' satisfies WorkspaceFileProblem, 'The file is empty.');
  if (file[0] !== 0x7b) return notOurs;
  if (newline < 0) {
    return file.length < MAX_HEADER_BYTES && startsLikeOurs(file)
      ? fail(
          'truncated' satisfies WorkspaceFileProblem,
          'The file is incomplete: it ends inside its header. It may have been cut off while copying.',
        )
      : notOurs;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(file.subarray(0, newline)));
  } catch {
    return startsLikeOurs(file)
      ? fail(
          'bad-header' satisfies WorkspaceFileProblem,
          'The file’s Outpost header is damaged, so the file cannot be read safely.',
        )
      : notOurs;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return notOurs;
  const record = raw as Record<string, unknown>;
  if (record.format !== WORKSPACE_FILE_FORMAT) return notOurs;
  if (typeof record.version === 'number' && record.version > NEWEST_VERSION) {
    return fail(
      'newer-version' satisfies WorkspaceFileProblem,
      `This file was made by a newer Outpost (file format version ${record.version}; this Outpost reads versions up to ${NEWEST_VERSION}). Update Outpost to open it.`,
    );
  }
  const parsed = WorkspaceFileHeader.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(
      'bad-header' satisfies WorkspaceFileProblem,
      `The file’s Outpost header is not valid (${issue ? `${issue.path.join('.') || 'header'}: ${issue.message}` : 'unknown problem'}), so the file cannot be read safely.`,
    );
  }
  return ok({ header: parsed.data, payloadOffset: newline + 1 });
}

function startsLikeOurs(file: Uint8Array): boolean {
  const prefix = encoder.encode(`{"format":"${WORKSPACE_FILE_FORMAT}"`);
  const n = Math.min(prefix.length, file.length);
  for (let i = 0; i < n; i++) if (file[i] !== prefix[i]) return false;
  return true;
}

export interface WorkspaceFile {
  readonly header: WorkspaceFileHeader;
  /**
   * The payload: the Yjs update (v1) of the whole workspace, or (version 4) the bundle of its
   * root and body documents (for a sealed file, as verified: still sealed).
   */
  readonly state: Uint8Array;
  /** A version-4 file's bundle, read and checked (by {@link decodeWorkspaceFile} and after). */
  readonly bundle?: WorkspaceBundle;
}

/**
 * Checks a workspace file's header, length and checksum without reading the workspace data (the
 * main process uses this before it writes a backup it was handed).
 */
export function verifyWorkspaceFile(file: Uint8Array): Result<WorkspaceFile> {
  const parsed = readWorkspaceFileHeader(file);
  if (!parsed.ok) return parsed;
  const { header, payloadOffset } = parsed.value;
  const available = file.length - payloadOffset;
  if (available < header.payloadBytes) {
    return fail(
      'truncated' satisfies WorkspaceFileProblem,
      `The file is incomplete: it holds ${available} of its ${header.payloadBytes} bytes of data. It may have been cut off while copying or downloading.`,
    );
  }
  if (available > header.payloadBytes) {
    return fail(
      'checksum-mismatch' satisfies WorkspaceFileProblem,
      `The file has ${available - header.payloadBytes} more bytes than its header says: it was changed after it was written.`,
    );
  }
  const state = file.slice(payloadOffset);
  if (checksumOf(header, state) !== header.checksum) {
    return fail(
      'checksum-mismatch' satisfies WorkspaceFileProblem,
      'The file does not match its checksum: it was changed or damaged after it was written.',
    );
  }
  return ok({ header, state });
}

/**
 * Reads a whole workspace file and checks it completely: header, length, checksum, and that the
 * payload is a Yjs update (or a bundle of them) this version can apply. Nothing is changed
 * anywhere; the caller decides what to do with the result.
 */
export function decodeWorkspaceFile(
  file: Uint8Array,
  opener?: (header: WorkspaceFileHeader) => FileSealer | null,
): Result<WorkspaceFile> {
  const verified = verifyWorkspaceFile(file);
  if (!verified.ok) return verified;
  let { state } = verified.value;
  const { header } = verified.value;
  const protection = protectionOf(header);
  if (protection === 'passphrase')
    return fail(
      'needs-passphrase' satisfies WorkspaceFileProblem,
      'This workspace file is encrypted with a passphrase; it opens with that passphrase.',
    );
  if (protection === 'sealed') {
    const opened = opener?.(header)?.open(state) ?? null;
    if (!opened)
      return fail(
        'sealed-elsewhere' satisfies WorkspaceFileProblem,
        'This backup is encrypted with the key of the device (and workspace) that wrote it, so it opens only there.',
      );
    state = opened;
  }
  return checkPayload(header, state);
}

/**
 * Checks an opened payload as what its header says it is: one Yjs update of the whole workspace
 * (versions 1–3), or a bundle of a root and its body documents (version 4, every one checked).
 */
export function checkPayload(
  header: WorkspaceFileHeader,
  state: Uint8Array,
): Result<WorkspaceFile> {
  if (holdsBundle(header)) {
    const bundle = decodeBundle(state);
    return bundle.ok ? ok({ header, state, bundle: bundle.value }) : bundle;
  }
  const check = checkWorkspaceState(state);
  if (!check.ok) return check;
  check.value.destroy();
  return ok({ header, state });
}

/** The Yjs update of a checked file's workspace document (for a bundle: its root). */
export function rootStateOf(file: WorkspaceFile): Uint8Array {
  return file.bundle ? file.bundle.root : file.state;
}

/**
 * Checks that bytes are a Yjs update of a workspace by applying them to a scratch document.
 * Returns the scratch document so callers can read from it (e.g. counts, name, Markdown).
 */
export function checkWorkspaceState(state: Uint8Array): Result<Y.Doc> {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
  } catch (error) {
    doc.destroy();
    return fail(
      'damaged' satisfies WorkspaceFileProblem,
      `The workspace data in the file is damaged and cannot be read (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  return ok(doc);
}
