/**
 * Full-text search over notes with MiniSearch: titles, tags and bodies, prefix and light fuzzy
 * matching, titles ranked above bodies. The index is updated one note at a time (`set`/`remove`),
 * never rebuilt, and keeps each note's text to cut a highlighted excerpt around the first match.
 */
import MiniSearch from 'minisearch';

export interface NoteSearchEntry {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  readonly tags: readonly string[];
}

/** Text cut into plain and matching parts, for highlighting. */
export type Highlighted = ReadonlyArray<{ readonly text: string; readonly match: boolean }>;

export interface NoteSearchHit {
  readonly id: string;
  readonly score: number;
  readonly title: Highlighted;
  readonly excerpt: Highlighted;
}

const fuzzy = (term: string) => (term.length > 4 ? 0.2 : false);

/**
 * Lower-cases and removes accents one character at a time, so the result has the same length as
 * the input and positions found in it are positions in the original ("cafe" finds "Café").
 */
export function fold(text: string): string {
  // eslint-disable-next-line no-control-regex -- the ASCII range is the fast path
  if (/^[\u0000-\u007f]*$/.test(text)) return text.toLowerCase();
  let out = '';
  for (const char of text) {
    const plain = char.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
    out +=
      plain.length === char.length
        ? plain
        : char.toLowerCase().length === char.length
          ? char.toLowerCase()
          : char;
  }
  return out;
}

/** The options used by the notes index; the bench uses the same ones for its baseline. */
export const NOTE_SEARCH_OPTIONS = {
  fields: ['title', 'text', 'tags'],
  processTerm: (term: string) => fold(term),
  searchOptions: {
    boost: { title: 3, tags: 2 },
    prefix: true,
    fuzzy,
    combineWith: 'AND' as const,
  },
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Splits `text` into parts matching any of `terms` at a word start (case-insensitive). */
export function highlight(text: string, terms: readonly string[]): Highlighted {
  const usable = [...new Set(terms.map((term) => term.trim()).filter(Boolean))].sort(
    (a, b) => b.length - a.length,
  );
  if (usable.length === 0 || text === '') return text ? [{ text, match: false }] : [];
  const pattern = new RegExp(
    `(?<![\\p{L}\\p{N}])(${usable.map((term) => escapeRegExp(fold(term))).join('|')})`,
    'gu',
  );
  const parts: Array<{ text: string; match: boolean }> = [];
  let last = 0;
  for (const found of fold(text).matchAll(pattern)) {
    const at = found.index ?? 0;
    if (at > last) parts.push({ text: text.slice(last, at), match: false });
    parts.push({ text: text.slice(at, at + found[0].length), match: true });
    last = at + found[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts;
}

/** An excerpt of about `length` characters around the first match of `terms` in `text`. */
export function excerpt(text: string, terms: readonly string[], length = 160): Highlighted {
  const flat = text.replace(/\s+/g, ' ').trim();
  let start = 0;
  const lower = fold(flat);
  let first = -1;
  for (const term of terms) {
    const at = lower.search(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(fold(term))}`, 'u'));
    if (at !== -1 && (first === -1 || at < first)) first = at;
  }
  if (first > 40) {
    start = first - 40;
    const space = flat.indexOf(' ', start);
    if (space !== -1 && space < first) start = space + 1;
  }
  const cut = flat.slice(start, start + length);
  const prefix = start > 0 ? '…' : '';
  const suffix = start + length < flat.length ? '…' : '';
  const parts = highlight(cut, terms);
  return [
    ...(prefix ? [{ text: prefix, match: false }] : []),
    ...parts,
    ...(suffix ? [{ text: suffix, match: false }] : []),
  ];
}

/** The notes search index. */
export class NoteSearchIndex {
  private readonly mini = new MiniSearch<NoteSearchEntry>({
    ...NOTE_SEARCH_OPTIONS,
    extractField: (entry, field) =>
      field === 'tags' ? entry.tags.join(' ') : String(entry[field as keyof NoteSearchEntry]),
  });
  private readonly entries = new Map<string, NoteSearchEntry>();

  /** Number of notes in the index. */
  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** What the index holds for a note. */
  entry(id: string): NoteSearchEntry | undefined {
    return this.entries.get(id);
  }

  /** Adds a note or replaces what the index holds for it. */
  set(entry: NoteSearchEntry): void {
    const previous = this.entries.get(entry.id);
    if (
      previous &&
      previous.title === entry.title &&
      previous.text === entry.text &&
      previous.tags.join(' ') === entry.tags.join(' ')
    )
      return;
    if (previous) this.mini.replace(entry);
    else this.mini.add(entry);
    this.entries.set(entry.id, entry);
  }

  remove(id: string): void {
    if (!this.entries.delete(id)) return;
    this.mini.discard(id);
  }

  /** Ranked hits for a query, best first; `accept` filters ids (e.g. out of the trash). */
  search(query: string, limit = 50, accept: (id: string) => boolean = () => true): NoteSearchHit[] {
    const trimmed = query.trim();
    if (!trimmed) return [];
    const hits: NoteSearchHit[] = [];
    const queryTerms = MiniSearch.getDefault('tokenize')(trimmed) as string[];
    // Exact and prefix matches first; fuzzy matching (typos) only when they find too little,
    // since it is the expensive part of a query over a large index.
    let results = this.mini.search(trimmed, { fuzzy: false });
    if (results.length < Math.min(limit, 5)) results = this.mini.search(trimmed);
    for (const result of results) {
      if (hits.length >= limit) break;
      const id = String(result.id);
      const entry = this.entries.get(id);
      if (!entry || !accept(id)) continue;
      const terms = [...result.terms, ...queryTerms];
      hits.push({
        id,
        score: result.score,
        title: highlight(entry.title, terms),
        excerpt: excerpt(entry.text, terms),
      });
    }
    return hits;
  }
}
