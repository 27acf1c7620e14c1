/**
 * Note bodies as documents of their own (issue 18): turning a body written inside the workspace
 * document into its own document's update, keeping every Yjs id.
 *
 * Today a note's rich text is a Y.XmlFragment under its record's `body` key in the workspace
 * document. A body document holds the same text as a root fragment named {@link BODY_FRAGMENT}.
 * Copying the text would give it new ids, so two devices migrating the same note (or one device
 * migrating it twice, or migrating and then receiving an edit from a device that has not
 * upgraded) would each insert a copy, and the copies would merge into the text twice.
 *
 * Instead the body document is the workspace document's own structs, cut to one note: every
 * struct (Yjs item) inside that note's body is written as it is, with its id, its origins and its
 * content; every other struct of the same clients becomes a GC struct of the same length (what
 * Yjs itself writes for content it no longer keeps), so each client's clocks stay contiguous; the
 * body's top-level items name the root fragment as their parent instead of the record's entry.
 * Any device cutting any state of the workspace document therefore writes the same structs under
 * the same ids, and Yjs merges them as the one text they are: cuts taken by different devices at
 * different times, and cuts of later edits, all converge, with nothing doubled.
 *
 * Deletions travel as the delete set of the note's deleted items. Items that the workspace
 * document already collected (the children of a deleted paragraph) are GC structs there and here,
 * as they would be in any Yjs replica that collected them.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { NOTE_BODY_KEY } from './notes';
import { ROOT } from './roots';

/** The root type of a note's body document: its rich text. */
export const BODY_FRAGMENT = 'body';

/** Yjs's struct reference number of GC structs (`GC.write`). */
const GC_REF = 0;
/** Bits of an item's info byte (Yjs `Item.write`): content ref, parentSub, right and left origin. */
const BITS5 = 0b11111;
const HAS_PARENT_SUB = 0b0100_0000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Yjs types its own parents so
type AnyType = Y.AbstractType<any>;

/** Which note's body a type is, or is inside of (null: no note body). */
interface Place {
  readonly note: string;
  /** The body fragment itself (its children are the body document's top-level items). */
  readonly fragment: boolean;
}

/** A rich-text fragment itself, not an element (Y.XmlElement extends Y.XmlFragment). */
function isFragment(type: AnyType): boolean {
  return type instanceof Y.XmlFragment && !(type instanceof Y.XmlElement);
}

/** Resolves types to the note body they belong to, remembering every type it has seen. */
function placeFinder(notesRoot: AnyType | undefined) {
  const known = new Map<AnyType, Place | null>();
  const find = (type: AnyType): Place | null => {
    const cached = known.get(type);
    if (cached !== undefined) return cached;
    // Walk up to a known type or a root, then record the answer for every type on the way.
    const path: AnyType[] = [];
    let current: AnyType | null = type;
    let found: Place | null = null;
    while (current) {
      const hit = known.get(current);
      if (hit !== undefined) {
        found = hit && { note: hit.note, fragment: false };
        break;
      }
      const item: Y.Item | null = current._item;
      if (!item) break;
      path.push(current);
      const record: unknown = item.parent;
      const entry = record instanceof Y.Map ? record._item : null;
      if (
        item.parentSub === NOTE_BODY_KEY &&
        entry !== null &&
        entry.parent === notesRoot &&
        entry.parentSub !== null
      ) {
        // A replaced body (a value set again under `body`), the body of a note deleted forever,
        // or a value of another type a peer wrote there, is not a note's text.
        if (item.deleted || entry.deleted || !isFragment(current)) break;
        known.set(current, { note: entry.parentSub, fragment: true });
        path.pop();
        found = { note: entry.parentSub, fragment: false };
        break;
      }
      current = record instanceof Y.AbstractType ? record : null;
    }
    for (const seen of path) known.set(seen, found);
    return known.get(type) ?? null;
  };
  return find;
}

/** One client's part of a body document being written. */
interface ClientRun {
  readonly items: Y.Item[];
}

/** Writes an item of the body document, naming the root fragment where it named its parent. */
function writeItem(encoder: Y.UpdateEncoderV1, item: Y.Item, topLevel: boolean): void {
  if (!topLevel || item.origin !== null || item.rightOrigin !== null) {
    item.write(encoder, 0);
    return;
  }
  // Yjs's Item.write for an item without origins whose parent is a root type, written by hand
  // because the parent here is the record's entry in the workspace document.
  encoder.writeInfo(
    (item.content.getRef() & BITS5) | (item.parentSub === null ? 0 : HAS_PARENT_SUB),
  );
  encoder.writeParentInfo(true);
  encoder.writeString(BODY_FRAGMENT);
  if (item.parentSub !== null) encoder.writeString(item.parentSub);
  item.content.write(encoder, 0);
}

/**
 * An update holding, per client, the given items from clock 0 with every clock between them as
 * GC, and the deletions among them.
 */
function encodeCut(
  runs: ReadonlyMap<number, ClientRun>,
  write: (encoder: Y.UpdateEncoderV1, item: Y.Item) => void,
): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const clients = [...runs.keys()].sort((a, b) => b - a);
  encoding.writeVarUint(encoder.restEncoder, clients.length);
  const deleted = new Map<number, Array<[number, number]>>();
  for (const client of clients) {
    const structs = new Y.UpdateEncoderV1();
    let count = 0;
    let clock = 0;
    const ranges: Array<[number, number]> = [];
    for (const item of runs.get(client)!.items) {
      if (item.id.clock > clock) {
        structs.writeInfo(GC_REF);
        structs.writeLen(item.id.clock - clock);
        count++;
      }
      write(structs, item);
      count++;
      clock = item.id.clock + item.length;
      if (item.deleted) {
        const last = ranges.at(-1);
        if (last && last[0] + last[1] === item.id.clock) last[1] += item.length;
        else ranges.push([item.id.clock, item.length]);
      }
    }
    encoding.writeVarUint(encoder.restEncoder, count);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, 0);
    encoding.writeUint8Array(encoder.restEncoder, structs.toUint8Array());
    if (ranges.length > 0) deleted.set(client, ranges);
  }
  encoding.writeVarUint(encoder.restEncoder, deleted.size);
  for (const client of [...deleted.keys()].sort((a, b) => b - a)) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    const ranges = deleted.get(client)!;
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const [clock, length] of ranges) {
      encoder.writeDsClock(clock);
      encoder.writeDsLen(length);
    }
  }
  return encoder.toUint8Array();
}

export interface BodyCutOptions {
  /** Only these notes (default: every note with a body in the document). */
  readonly notes?: ReadonlySet<string>;
  /**
   * Only these clients' structs (default: all). Cutting the clients a transaction touched (its
   * new structs and its deletions) gives, for each note it touched, an update that brings any
   * copy of that body document up to date with it.
   */
  readonly clients?: ReadonlySet<number>;
}

/**
 * The body documents of the notes in `root` (the workspace document), as one update each, keyed
 * by note id: applied to an empty document, or to any copy of that note's body document, it
 * gives the text the note has in `root`. One pass over the document's structs.
 */
export function cutBodies(root: Y.Doc, options: BodyCutOptions = {}): Map<string, Uint8Array> {
  return bodyCutter(root, options).cut(options.notes);
}

/** What one walk over a document found of each note's body, ready to be written note by note. */
export interface BodyCutter {
  /** The cuts of `notes` (default: every note with a body), as {@link cutBodies} gives them. */
  cut(notes?: ReadonlySet<string>): Map<string, Uint8Array>;
}

/**
 * Walks `root`'s structs once and sorts them by note, so that notes can then be cut batch by
 * batch without walking the whole document again for each batch (the migration cuts 100,000
 * notes in batches). The document must not change while the cutter is used.
 */
export function bodyCutter(root: Y.Doc, options: Pick<BodyCutOptions, 'clients'> = {}): BodyCutter {
  const notesRoot = root.share.get(ROOT.notes);
  const bodies = new Map<string, { runs: Map<number, ClientRun>; top: Set<Y.Item> }>();
  if (notesRoot) {
    const find = placeFinder(notesRoot);
    for (const [client, structs] of root.store.clients) {
      if (options.clients && !options.clients.has(client)) continue;
      for (const struct of structs) {
        if (!(struct instanceof Y.Item) || !(struct.parent instanceof Y.AbstractType)) continue;
        const place = find(struct.parent);
        if (!place) continue;
        let body = bodies.get(place.note);
        if (!body) {
          body = { runs: new Map(), top: new Set() };
          bodies.set(place.note, body);
        }
        let run = body.runs.get(client);
        if (!run) {
          run = { items: [] };
          body.runs.set(client, run);
        }
        run.items.push(struct);
        if (place.fragment) body.top.add(struct);
      }
    }
  }
  return {
    cut(notes) {
      const updates = new Map<string, Uint8Array>();
      for (const [note, body] of bodies) {
        if (notes && !notes.has(note)) continue;
        updates.set(
          note,
          encodeCut(body.runs, (encoder, item) => writeItem(encoder, item, body.top.has(item))),
        );
      }
      return updates;
    },
  };
}

/**
 * The clients whose structs a transaction on the workspace document added or deleted: cutting
 * them ({@link BodyCutOptions.clients}) carries the transaction into the body documents.
 */
export function clientsTouchedBy(transaction: Y.Transaction): Set<number> {
  const touched = new Set<number>();
  for (const [client, clock] of transaction.afterState)
    if ((transaction.beforeState.get(client) ?? 0) < clock) touched.add(client);
  for (const client of transaction.deleteSet.clients.keys()) touched.add(client);
  return touched;
}

/**
 * The workspace document without its note bodies (the root of a workspace whose bodies are
 * documents of their own): every struct as it is, except each note body's structs and the
 * record entry that held it, which become GC of the same length. Like the bodies, any device
 * cutting any state writes the same structs under the same ids, so roots cut by different devices
 * at different times, or from later edits (`clients`), merge into one.
 */
export function cutRoot(root: Y.Doc, options: Pick<BodyCutOptions, 'clients'> = {}): Uint8Array {
  const notesRoot = root.share.get(ROOT.notes);
  const find = placeFinder(notesRoot);
  const runs = new Map<number, ClientRun>();
  for (const [client, structs] of root.store.clients) {
    if (options.clients && !options.clients.has(client)) continue;
    const items: Y.Item[] = [];
    for (const struct of structs) {
      if (!(struct instanceof Y.Item)) continue;
      if (notesRoot && struct.parent instanceof Y.AbstractType && find(struct.parent)) continue;
      if (
        notesRoot &&
        struct.content instanceof Y.ContentType &&
        find(struct.content.type)?.fragment
      )
        continue;
      items.push(struct);
    }
    if (items.length > 0) runs.set(client, { items });
  }
  return encodeCut(runs, (encoder, item) => item.write(encoder, 0));
}

/** The rich text of a body document. */
export function bodyFragment(bodyDoc: Y.Doc): Y.XmlFragment {
  return bodyDoc.getXmlFragment(BODY_FRAGMENT);
}

/** What a change of the workspace document in its former layout becomes in the new one. */
export interface CarriedChange {
  /** An update of the root without bodies, or null when the change left it as it was. */
  readonly root: Uint8Array | null;
  /** An update of each body document the change touched, by note id. */
  readonly bodies: ReadonlyMap<string, Uint8Array>;
}

/**
 * Applies `update` to `legacy` (a workspace document in the layout with bodies inside, kept for
 * the devices that still write it: an Outpost that has not upgraded, a stock y-webrtc client) and
 * returns what it changed, cut into the root without bodies and the body documents. Each cut
 * carries the touched clients' structs from clock 0, so it applies to any copy, however far
 * behind; such changes are rare (devices that have not upgraded open the workspace read-only once
 * they hear of the new layout), so simplicity is worth more here than the bytes.
 */
export function carryLegacyUpdate(
  legacy: Y.Doc,
  update: Uint8Array,
  origin?: unknown,
): CarriedChange {
  let touched = new Set<number>();
  const hear = (transaction: Y.Transaction) => {
    touched = clientsTouchedBy(transaction);
  };
  legacy.on('afterTransaction', hear);
  try {
    Y.applyUpdate(legacy, update, origin);
  } finally {
    legacy.off('afterTransaction', hear);
  }
  if (touched.size === 0) return { root: null, bodies: new Map() };
  return {
    root: cutRoot(legacy, { clients: touched }),
    bodies: cutBodies(legacy, { clients: touched }),
  };
}
