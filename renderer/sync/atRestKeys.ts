/**
 * This device's key for encryption at rest (shared/protocol/atRest.ts), worked out first thing at
 * start-up, before anything stored is read:
 *
 * - **keychain**: the main process keeps the data key with the OS keychain (safeStorage) and
 *   hands it over; nothing to ask the person.
 * - **passphrase**: where there is no keychain (web mode, Linux without a secret service) the
 *   person chose a passphrase; the data key is stored wrapped by it (PBKDF2-SHA-256, 600,000
 *   iterations) and each start asks for it.
 * - **none**: the person explicitly chose to keep data unencrypted on this device.
 *
 * Which one applies is recorded in the device database (`atRest`, never sealed itself), so a
 * device whose keychain has gone away says so instead of starting over with a new key — that
 * would leave every workspace sealed with the old key unreadable. Once the key is known, device
 * values are sealed (deviceStore.ts) and each workspace's rows get their own derived key.
 *
 * Kept small and free of zod and React: the page's entry (main.tsx) runs it before the app loads.
 */
import {
  DEVICE_STATE_KEY_INFO,
  SEALED_PURPOSE,
  deriveAtRestKey,
  looksSealed,
  newDataKey,
  open,
  seal,
  unwrapWithPassphrase,
  workspaceKeyInfo,
  wrapWithPassphrase,
  type AtRestKey,
} from '../../shared/protocol/atRest';
import { fromBase64Url, toBase64Url } from '../../shared/protocol/bytes';
import { fail, ok, type Result } from '../../shared/result';
import {
  PLAIN_ROWS,
  codecWhenReady,
  rowScope,
  sealedRows,
  type RowCodec,
} from '../../shared/storage/sealedRows';
import { getOutpostApi } from '../platform/outpostApi';
import {
  readAtRestRecord,
  sealPlainDeviceValues,
  setDeviceValueSealer,
  writeAtRestRecord,
  type DeviceValueSealer,
} from './deviceStore';
import { WORKSPACE_DB_PREFIX } from './storage/idb';

export type AtRestProtection = 'keychain' | 'passphrase' | 'none';

export type AtRestStatus =
  | { readonly state: 'ready'; readonly protection: AtRestProtection; readonly reason?: string }
  /** No keychain and no choice made yet: the person picks a passphrase or "not encrypted". */
  | { readonly state: 'choose'; readonly reason: string }
  /** A passphrase protects this device's data: it must be typed to go on. */
  | { readonly state: 'locked'; readonly reason: string }
  | { readonly state: 'failed'; readonly message: string };

/** The shortest passphrase accepted. */
export const MIN_PASSPHRASE_LENGTH = 10;

interface PassphraseRecord {
  readonly v: 1;
  readonly mode: 'passphrase';
  readonly kdf: 'PBKDF2-SHA-256';
  readonly iterations: number;
  readonly salt: string;
  readonly sealed: string;
}
type KeyRecord =
  | { readonly v: 1; readonly mode: 'keychain' }
  | { readonly v: 1; readonly mode: 'none' }
  | PassphraseRecord;

/** A value wrapped with a passphrase (PBKDF2-SHA-256), as stored: base64url salt and value. */
export interface StoredWrapped {
  readonly iterations: number;
  readonly salt: string;
  readonly sealed: string;
}

/** Whether `value` has the stored shape of a wrapped value, with a count not below 100,000. */
export function isStoredWrapped(value: unknown): value is StoredWrapped {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.iterations === 'number' &&
    Number.isInteger(record.iterations) &&
    record.iterations >= 100_000 &&
    typeof record.salt === 'string' &&
    fromBase64Url(record.salt) !== undefined &&
    typeof record.sealed === 'string' &&
    fromBase64Url(record.sealed) !== undefined
  );
}

function asRecord(value: unknown): KeyRecord | null | 'damaged' {
  if (value === undefined) return null;
  if (typeof value !== 'object' || value === null) return 'damaged';
  const record = value as Record<string, unknown>;
  if (record.v !== 1) return 'damaged';
  if (record.mode === 'keychain' || record.mode === 'none') return { v: 1, mode: record.mode };
  if (record.mode === 'passphrase' && record.kdf === 'PBKDF2-SHA-256' && isStoredWrapped(record))
    return record as unknown as PassphraseRecord;
  return 'damaged';
}

let status: AtRestStatus = { state: 'failed', message: 'Encryption at rest has not started.' };
let dataKey: Uint8Array | null = null;
let started: Promise<AtRestStatus> | null = null;
let passphraseRecord: PassphraseRecord | null = null;
let noKeychainReason = '';
const listeners = new Set<(status: AtRestStatus) => void>();

function setStatus(next: AtRestStatus): AtRestStatus {
  status = next;
  for (const listener of listeners) listener(next);
  return next;
}

/** What applies on this device now. */
export function atRestStatus(): AtRestStatus {
  return status;
}

export function onAtRestStatus(listener: (status: AtRestStatus) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function deviceSealer(key: AtRestKey): DeviceValueSealer {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const scope = (name: string) => `outpost-device/${name}`;
  return {
    seal: (name, value) =>
      seal(
        key,
        SEALED_PURPOSE.deviceValue,
        scope(name),
        encoder.encode(JSON.stringify(value) ?? 'null'),
      ),
    async open(name, stored) {
      if (!(stored instanceof Uint8Array) || !looksSealed(stored))
        return { opened: true, plain: true, value: stored };
      const plain = await open(key, SEALED_PURPOSE.deviceValue, scope(name), stored);
      if (!plain) return { opened: false, plain: false, value: undefined };
      try {
        return { opened: true, plain: false, value: JSON.parse(decoder.decode(plain)) as unknown };
      } catch {
        return { opened: false, plain: false, value: undefined };
      }
    },
  };
}

async function activate(key: Uint8Array, protection: AtRestProtection): Promise<AtRestStatus> {
  dataKey = key;
  setDeviceValueSealer(deviceSealer(await deriveAtRestKey(key, DEVICE_STATE_KEY_INFO)));
  // Values an earlier version stored plain are sealed now (each write durable; resumable).
  await sealPlainDeviceValues();
  return setStatus({
    state: 'ready',
    protection,
    ...(protection === 'keychain' ? {} : { reason: noKeychainReason }),
  });
}

async function begin(): Promise<AtRestStatus> {
  let record: ReturnType<typeof asRecord>;
  try {
    record = asRecord(await readAtRestRecord());
  } catch (error) {
    return setStatus({
      state: 'failed',
      message: `This device's storage could not be opened: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  if (record === 'damaged')
    return setStatus({
      state: 'failed',
      message:
        "The record of how this device's data is protected is damaged, so Outpost cannot open it. Nothing was changed; restore your workspaces from exported files on a fresh profile.",
    });
  const answer = await getOutpostApi().invoke('atRest:dataKey', undefined);
  if (!answer.ok) return setStatus({ state: 'failed', message: answer.error.message });
  if (answer.value.protection === 'unavailable') noKeychainReason = answer.value.reason;

  if (record?.mode === 'passphrase') {
    passphraseRecord = record;
    return setStatus({ state: 'locked', reason: noKeychainReason });
  }
  if (answer.value.protection === 'keychain') {
    const key = fromBase64Url(answer.value.key);
    if (!key)
      return setStatus({ state: 'failed', message: 'The keychain returned no usable key.' });
    if (record?.mode !== 'keychain') await writeAtRestRecord({ v: 1, mode: 'keychain' });
    return activate(key, 'keychain');
  }
  if (record?.mode === 'keychain')
    return setStatus({
      state: 'failed',
      message: `This device's data is sealed with a key the operating system's keychain keeps, and that keychain is not available now (${noKeychainReason}) Nothing was changed: start Outpost again once the keychain is back.`,
    });
  if (record?.mode === 'none') {
    setDeviceValueSealer(null);
    return setStatus({ state: 'ready', protection: 'none', reason: noKeychainReason });
  }
  return setStatus({ state: 'choose', reason: noKeychainReason });
}

/** Works out this device's key (once per page). */
export function startAtRest(): Promise<AtRestStatus> {
  started ??= begin().catch((error: unknown) =>
    setStatus({
      state: 'failed',
      message: `Outpost could not work out how this device's data is protected: ${error instanceof Error ? error.message : String(error)}`,
    }),
  );
  return started;
}

/** What `stored` wraps, or null when `passphrase` is not the one it was wrapped with. */
export function unwrapStored(
  stored: StoredWrapped,
  passphrase: string,
): Promise<Uint8Array | null> {
  return unwrapWithPassphrase(
    {
      kdf: 'PBKDF2-SHA-256',
      iterations: stored.iterations,
      salt: fromBase64Url(stored.salt)!,
      sealed: fromBase64Url(stored.sealed)!,
    },
    passphrase,
  );
}

/** Opens this device's data with the passphrase the person chose. */
export async function unlockWithPassphrase(passphrase: string): Promise<Result<AtRestStatus>> {
  if (!passphraseRecord) return fail('not-locked', 'No passphrase protects this device.');
  const key = await unwrapStored(passphraseRecord, passphrase);
  if (!key)
    return fail('wrong-passphrase', "That passphrase does not open this device's data. Try again.");
  return ok(await activate(key, 'passphrase'));
}

/**
 * Whether `passphrase` is the one that protects this device's data (the app lock asks for it to
 * unlock): true only when it opens the stored key, which takes the same slow KDF as at start.
 */
export async function isDataPassphrase(passphrase: string): Promise<boolean> {
  if (!passphraseRecord) return false;
  return (await unwrapStored(passphraseRecord, passphrase)) !== null;
}

/** Why a new passphrase cannot be used, or null. */
export function passphraseProblem(passphrase: string, repeated: string): string | null {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH)
    return `Use at least ${MIN_PASSPHRASE_LENGTH} characters.`;
  if (passphrase !== repeated) return 'The two passphrases differ.';
  return null;
}

/**
 * Protects this device's data with a new passphrase (a new data key wrapped by it). From "not
 * encrypted", what is stored is sealed as it is next opened or written.
 */
export async function choosePassphrase(
  passphrase: string,
  repeated: string,
): Promise<Result<AtRestStatus>> {
  const problem = passphraseProblem(passphrase, repeated);
  if (problem) return fail('invalid-passphrase', problem);
  if (status.state !== 'choose' && !(status.state === 'ready' && status.protection === 'none'))
    return fail('has-key', "This device's data is already protected.");
  const key = newDataKey();
  const wrapped = await wrapWithPassphrase(key, passphrase);
  const record: PassphraseRecord = {
    v: 1,
    mode: 'passphrase',
    kdf: wrapped.kdf,
    iterations: wrapped.iterations,
    salt: toBase64Url(wrapped.salt),
    sealed: toBase64Url(wrapped.sealed),
  };
  await writeAtRestRecord(record);
  passphraseRecord = record;
  return ok(await activate(key, 'passphrase'));
}

/** The person's explicit choice to keep this device's data unencrypted. */
export async function chooseNotEncrypted(): Promise<AtRestStatus> {
  await writeAtRestRecord({ v: 1, mode: 'none' });
  setDeviceValueSealer(null);
  return setStatus({ state: 'ready', protection: 'none', reason: noKeychainReason });
}

/**
 * How the rows of workspace `id` (document `documentName` in it) are sealed: with the
 * workspace's own key derived from the data key, or plain when this device has none.
 */
export function workspaceRowCodec(id: string, documentName?: string): RowCodec {
  const key = dataKey;
  if (!key) return PLAIN_ROWS;
  return codecWhenReady(
    deriveAtRestKey(key, workspaceKeyInfo(id)).then((derived) =>
      sealedRows(derived, rowScope(WORKSPACE_DB_PREFIX + id, documentName)),
    ),
  );
}

/**
 * The key that seals large values stored for workspace `id` outside its rows (its notes index),
 * with WebCrypto off the page's thread; null when this device keeps data unencrypted.
 */
export function workspaceAtRestKey(id: string): Promise<AtRestKey> | null {
  const key = dataKey;
  return key ? deriveAtRestKey(key, workspaceKeyInfo(id)) : null;
}
