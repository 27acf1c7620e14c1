/**
 * The page's half of the desktop's one-time move from the file:// origin to app://
 * (electron/main/migration/originMigration.ts): at start, before anything stored is read, it asks
 * the main process for the old origin's export and creates each database this origin does not
 * have yet. A database's stores, indexes and rows are written in the version-change transaction
 * that creates it, so it exists in whole or not at all; one that exists already is left as it is
 * (never overwritten) and reported. Rows go in as they were stored, sealed or not.
 */
import { getOutpostApi } from './outpostApi';

interface ExportedIndex {
  readonly name: string;
  readonly keyPath: string | string[];
  readonly unique: boolean;
  readonly multiEntry: boolean;
}
interface ExportedStore {
  readonly name: string;
  readonly keyPath: string | string[] | null;
  readonly autoIncrement: boolean;
  readonly indexes: readonly ExportedIndex[];
  readonly keys: unknown;
  readonly values: unknown;
}
interface ExportedDatabase {
  readonly name: string;
  readonly version: number;
  readonly stores: readonly ExportedStore[];
}

function bytesOf(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The export's JSON form back to what IndexedDB held (bytes, buffers, objects, arrays). */
export function decodeExported(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeExported);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && typeof record.$u8 === 'string') return bytesOf(record.$u8);
    if (keys.length === 1 && typeof record.$ab === 'string') return bytesOf(record.$ab).buffer;
    return Object.fromEntries(keys.map((key) => [key, decodeExported(record[key])]));
  }
  return value;
}

function parseExport(exported: string): ExportedDatabase[] {
  const parsed = JSON.parse(exported) as { format?: unknown; v?: unknown; databases?: unknown };
  if (
    parsed.format !== 'outpost-origin-export' ||
    parsed.v !== 1 ||
    !Array.isArray(parsed.databases)
  )
    throw new Error('not an Outpost export');
  return parsed.databases as ExportedDatabase[];
}

/** Creates `database` with everything in it, in the one transaction that creates it. */
function createWhole(database: ExportedDatabase): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(database.name, Math.max(1, database.version));
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const exported of database.stores) {
        const store = db.createObjectStore(exported.name, {
          ...(exported.keyPath === null ? {} : { keyPath: exported.keyPath }),
          autoIncrement: exported.autoIncrement,
        });
        for (const index of exported.indexes)
          store.createIndex(index.name, index.keyPath, {
            unique: index.unique,
            multiEntry: index.multiEntry,
          });
        const keys = decodeExported(exported.keys) as IDBValidKey[];
        const values = decodeExported(exported.values) as unknown[];
        values.forEach((value, row) => {
          // Inline keys come with the value; out-of-line ones (y-indexeddb's rows) are given.
          if (exported.keyPath === null) store.put(value, keys[row]);
          else store.put(value);
        });
      }
    };
    request.onsuccess = () => {
      request.result.close();
      resolve();
    };
    request.onerror = () => reject(request.error ?? new Error(`Could not create ${database.name}`));
    request.onblocked = () => reject(new Error(`Creating ${database.name} was blocked.`));
  });
}

/**
 * Takes over what the old origin stored, when the main process has an export waiting. Never
 * throws: what could not be taken over stays in the export for the next start.
 */
export async function importOldOrigin(): Promise<void> {
  const api = getOutpostApi();
  const pending = await api.invoke('migration:pending', undefined);
  if (!pending.ok || !pending.value) return;
  try {
    const databases = parseExport(pending.value.exported);
    const existing = new Set((await indexedDB.databases()).map((info) => info.name));
    const imported: string[] = [];
    const skipped: string[] = [];
    for (const database of databases) {
      if (existing.has(database.name)) {
        skipped.push(database.name);
        continue;
      }
      await createWhole(database);
      imported.push(database.name);
    }
    await api.invoke('migration:finish', { imported, skipped });
  } catch (error) {
    console.error('What an earlier Outpost stored could not be taken over yet', error);
  }
}
