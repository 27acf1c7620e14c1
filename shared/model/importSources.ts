/**
 * Where an imported record came from: notes imported from an Obsidian vault and decisions
 * imported from MADR files remember their file in a `source` field (docs/PROTOCOL.md §1.3), so
 * importing the same file again can offer to update the record instead of adding a copy.
 */
import * as Y from 'yjs';

/** The field of a note or decision that names the file it was imported from. */
export const SOURCE_FIELD = 'source';
/** The longest `source` Outpost writes or trusts. */
export const SOURCE_MAX = 1000;

/**
 * Live records of a root by the file they were imported from. A record in the trash is not
 * offered for update (a new import brings the file back as a new record).
 */
export function recordsBySource(doc: Y.Doc, rootName: string): Map<string, string> {
  const found = new Map<string, string>();
  doc.getMap<unknown>(rootName).forEach((record, id) => {
    if (!(record instanceof Y.Map) || record.get('deletedAt') !== null) return;
    const source = record.get(SOURCE_FIELD);
    if (typeof source === 'string' && source.length <= SOURCE_MAX && !found.has(source))
      found.set(source, id);
  });
  return found;
}

/** The source of a decision imported from a MADR file: its file name. */
export function madrSource(fileName: string): string {
  return `madr:${fileName.slice(0, SOURCE_MAX - 5)}`;
}
