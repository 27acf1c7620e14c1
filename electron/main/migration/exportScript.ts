/**
 * The script the hidden file:// window runs (originMigration.ts) to read every `outpost-*`
 * IndexedDB database of the old origin: each store's shape (key path, auto-increment, indexes),
 * keys and values, as one JSON string. Bytes (Yjs rows, sealed values) become `{ "$u8": base64 }`
 * and ArrayBuffers `{ "$ab": base64 }`, so the export survives JSON; the page's import
 * (renderer/platform/originImport.ts) turns them back. Plain JavaScript in a string: it runs in a
 * page the main process has no bundle for, through webContents.executeJavaScript.
 */
export const EXPORT_FORMAT = 'outpost-origin-export';

export const EXPORT_SCRIPT = `(async () => {
  const base64 = (bytes) => {
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  };
  const encode = (value) => {
    if (value instanceof Uint8Array) return { $u8: base64(value) };
    if (value instanceof ArrayBuffer) return { $ab: base64(new Uint8Array(value)) };
    if (ArrayBuffer.isView(value)) return { $u8: base64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
    if (Array.isArray(value)) return value.map(encode);
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, encode(inner)]));
    return value;
  };
  const done = (request) =>
    new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  const databases = [];
  for (const info of await indexedDB.databases()) {
    const name = info.name;
    if (!name || !name.startsWith('outpost-')) continue;
    const db = await done(indexedDB.open(name));
    const stores = [];
    for (const storeName of Array.from(db.objectStoreNames)) {
      const store = db.transaction(storeName).objectStore(storeName);
      const [keys, values] = await Promise.all([done(store.getAllKeys()), done(store.getAll())]);
      stores.push({
        name: storeName,
        keyPath: store.keyPath,
        autoIncrement: store.autoIncrement,
        indexes: Array.from(store.indexNames).map((indexName) => {
          const index = store.index(indexName);
          return { name: indexName, keyPath: index.keyPath, unique: index.unique, multiEntry: index.multiEntry };
        }),
        keys: encode(keys),
        values: encode(values),
      });
    }
    databases.push({ name, version: db.version, stores });
    db.close();
  }
  return JSON.stringify({ format: '${EXPORT_FORMAT}', v: 1, databases });
})()`;
