/**
 * Full-text search over notes with MiniSearch: titles, tags and bodies, searched as they are typed
 * (the last word also matches its completions), typos forgiven when exact words find too little,
 * titles ranked above bodies. The index is updated one note at a time (`set`/`remove`), never
 * rebuilt, and keeps each note's text to cut a highlighted excerpt around the first match. Work
 * per query stays bounded on large workspaces: see `NoteSearchIndex`.
 */
import MiniSearch, { type AsPlainObject } from 'minisearch';
import SearchableMap from 'minisearch/SearchableMap';
import { oneLine } from '../core/text';

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

/** Text as the search checks it: folded, unless it is ASCII (a case-insensitive pattern suffices). */
function checkable(text: string): string {
  // eslint-disable-next-line no-control-regex -- the ASCII range is the fast path
  return /^[\u0000-\u007f]*$/.test(text) ? text : fold(text);
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

/** A pattern finding any of `terms` at a word start in folded text (null when there are none). */
export function matcher(terms: readonly string[]): RegExp | null {
  const usable = [...new Set(terms.map((term) => fold(term.trim())).filter(Boolean))].sort(
    (a, b) => b.length - a.length,
  );
  if (usable.length === 0) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}])(${usable.map(escapeRegExp).join('|')})`, 'gu');
}

/** Splits `text` into parts matching any of `terms` at a word start (case-insensitive). */
export function highlight(
  text: string,
  terms: readonly string[],
  pattern: RegExp | null = matcher(terms),
): Highlighted {
  if (!pattern || text === '') return text ? [{ text, match: false }] : [];
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

/** An excerpt of about `length` characters of `flat` (text on one line) around the first match. */
function excerpt(flat: string, length: number, pattern: RegExp | null): Highlighted {
  let start = 0;
  let first = -1;
  if (pattern) {
    pattern.lastIndex = 0;
    first = fold(flat).search(pattern);
  }
  if (first > 40) {
    start = first - 40;
    const space = flat.indexOf(' ', start);
    if (space !== -1 && space < first) start = space + 1;
  }
  const cut = flat.slice(start, start + length);
  const prefix = start > 0 ? '…' : '';
  const suffix = start + length < flat.length ? '…' : '';
  const parts = highlight(cut, [], pattern);
  return [
    ...(prefix ? [{ text: prefix, match: false }] : []),
    ...parts,
    ...(suffix ? [{ text: suffix, match: false }] : []),
  ];
}

/**
 * A word held by more notes than this says little about which note is meant (its BM25 weight is
 * near zero) and is expensive to score, so such words are checked in the candidates, not scored.
 * The completions of a word being typed share the same budget of notes.
 */
const COMMON_NOTES = 2_000;
/**
 * When every word of a query is common, the least common one is still scored to find the
 * candidates if at most this many notes hold it: scoring a word costs about a microsecond per note
 * holding it, checking every note of a large workspace for the words costs far more.
 */
const CANDIDATE_NOTES = 6_000;
/** At most this many completions of the word being typed are searched. */
const MAX_COMPLETIONS = 40;
/** MiniSearch's default weight of a prefix match, kept so ranking stays as before. */
const PREFIX_WEIGHT = 0.375;

/** MiniSearch's weight of a prefix match: lower the more of the word is left to type. */
function prefixWeight(term: string, prefix: string): number {
  const distance = term.length - prefix.length;
  return (PREFIX_WEIGHT * term.length) / (term.length + 0.3 * distance);
}

const tokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/** The distinct index terms of texts, as MiniSearch indexes them. */
function termsOf(texts: readonly string[]): Set<string> {
  const terms = new Set<string>();
  for (const text of texts)
    for (const token of tokenize(text)) {
      const term = fold(token);
      if (term) terms.add(term);
    }
  return terms;
}

/**
 * A whole index as plain data, to be stored and loaded again without reading any note: MiniSearch's
 * own serialisation of its index (`toJSON`), each note's entry (what excerpts are cut from), and
 * how many notes hold each term.
 */
export interface SavedNoteSearchIndex {
  readonly search: AsPlainObject;
  readonly entries: ReadonlyArray<
    readonly [id: string, title: string, text: string, tags: string[]]
  >;
  readonly vocabulary: ReadonlyArray<readonly [term: string, notes: number]>;
}

const miniOptions = {
  ...NOTE_SEARCH_OPTIONS,
  extractField: (entry: NoteSearchEntry, field: string) =>
    field === 'tags' ? entry.tags.join(' ') : String(entry[field as keyof NoteSearchEntry]),
};

interface QueryTree {
  readonly combineWith: 'AND';
  readonly queries: Array<Exclude<Parameters<MiniSearch['search']>[0], symbol>>;
}

/**
 * The notes search index.
 *
 * A query is searched the way it is typed: the words before the last one are complete and match
 * exactly; the last word is still being typed, so it also matches its completions (the most
 * common ones that fit a budget of notes), ranked a little below exact words. Words found in most
 * notes ("the", or the completions of "t") are not scored over thousands of notes: the other words
 * find the candidates and those words are checked in them. When every word is that common, the
 * least common one still finds the candidates if it is not held by too many notes; only when none
 * is, the notes are checked in order until enough hold every word. Typos are forgiven (fuzzy matching)
 * only when exact words find too little, since fuzzy matching is the expensive part.
 */
export class NoteSearchIndex {
  private readonly mini: MiniSearch<NoteSearchEntry>;
  private readonly entries = new Map<string, NoteSearchEntry>();
  /** Every indexed term and the number of notes holding it, searchable by prefix. */
  private readonly vocabulary = new SearchableMap<number>();
  /**
   * The number of notes holding each term in their title or tags (derived from the entries, so
   * not saved), to know what scoring a word in titles and tags costs.
   */
  private readonly titled = new Map<string, number>();

  constructor(mini?: MiniSearch<NoteSearchEntry>) {
    this.mini = mini ?? new MiniSearch<NoteSearchEntry>(miniOptions);
  }

  /** The index as plain data (see {@link SavedNoteSearchIndex}). */
  save(): SavedNoteSearchIndex {
    return {
      search: this.mini.toJSON(),
      entries: [...this.entries.values()].map((e) => [e.id, e.title, e.text, [...e.tags]] as const),
      vocabulary: [...this.vocabulary.entries()],
    };
  }

  /**
   * An index saved by {@link save}, loaded without blocking the page for long (MiniSearch's
   * `loadJSAsync`). Throws when `saved` is not such an index, or disagrees with itself.
   */
  static async load(saved: SavedNoteSearchIndex): Promise<NoteSearchIndex> {
    const mini = await MiniSearch.loadJSAsync<NoteSearchEntry>(saved.search, miniOptions);
    const index = new NoteSearchIndex(mini);
    for (const [id, title, text, tags] of saved.entries) {
      const entry = { id, title, text, tags };
      index.entries.set(id, entry);
      index.countTitled(entry, 1);
    }
    for (const [term, notes] of saved.vocabulary) index.vocabulary.set(term, notes);
    for (const id of index.entries.keys())
      if (!mini.has(id)) throw new Error(`the saved index lacks note ${id}`);
    if (mini.documentCount !== index.entries.size)
      throw new Error('the saved index holds other notes than its entries');
    return index;
  }

  /** Number of notes in the index. */
  get size(): number {
    return this.entries.size;
  }

  /** The ids of the notes in the index. */
  ids(): IterableIterator<string> {
    return this.entries.keys();
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** What the index holds for a note. */
  entry(id: string): NoteSearchEntry | undefined {
    return this.entries.get(id);
  }

  /**
   * Adds a note or replaces what the index holds for it. The text is kept on one line (runs of
   * white space as one space), as excerpts show it.
   */
  set(note: NoteSearchEntry): void {
    const entry = { ...note, text: oneLine(note.text) };
    const previous = this.entries.get(entry.id);
    if (
      previous &&
      previous.title === entry.title &&
      previous.text === entry.text &&
      previous.tags.join(' ') === entry.tags.join(' ')
    )
      return;
    if (previous) {
      this.count(previous, -1);
      this.mini.replace(entry);
    } else this.mini.add(entry);
    this.count(entry, 1);
    this.entries.set(entry.id, entry);
  }

  remove(id: string): void {
    const previous = this.entries.get(id);
    if (!previous) return;
    this.entries.delete(id);
    this.count(previous, -1);
    this.mini.discard(id);
  }

  private count(entry: NoteSearchEntry, delta: 1 | -1): void {
    this.countTitled(entry, delta);
    for (const term of termsOf([entry.title, entry.text, entry.tags.join(' ')])) {
      const next = (this.vocabulary.get(term) ?? 0) + delta;
      if (next > 0) this.vocabulary.set(term, next);
      else this.vocabulary.delete(term);
    }
  }

  private countTitled(entry: NoteSearchEntry, delta: 1 | -1): void {
    for (const term of termsOf([entry.title, entry.tags.join(' ')])) {
      const next = (this.titled.get(term) ?? 0) + delta;
      if (next > 0) this.titled.set(term, next);
      else this.titled.delete(term);
    }
  }

  /**
   * The completions of the word being typed to score in titles and tags when every completion is
   * common, each with its ranking weight: the word itself when it is a word of its own, then the
   * completions most common in titles and tags, while they fit the budget of notes.
   */
  private titleCompletions(prefix: string): Map<string, number> {
    const found = this.completionsBy(prefix, (term) =>
      term === prefix ? 0 : (this.titled.get(term) ?? 0),
    );
    const weights = new Map<string, number>();
    let budget = COMMON_NOTES;
    const whole = this.titled.get(prefix) ?? 0;
    if (whole > 0 && whole <= budget) {
      weights.set(prefix, 1);
      budget -= whole;
    }
    for (const [term, notes] of found) {
      if (notes > budget || weights.size >= MAX_COMPLETIONS) continue;
      weights.set(term, prefixWeight(term, prefix));
      budget -= notes;
    }
    return weights;
  }

  /**
   * The indexed terms starting with `prefix`, each with the notes `notesOf` counts for it (given
   * the notes holding it anywhere; 0 leaves it out), most notes first, then shortest.
   */
  private completionsBy(
    prefix: string,
    notesOf: (term: string, notes: number) => number,
  ): Array<[string, number]> {
    const found: Array<[string, number]> = [];
    for (const [term, anywhere] of this.vocabulary.atPrefix(prefix)) {
      const notes = notesOf(term, anywhere);
      if (notes > 0) found.push([term, notes]);
    }
    return found.sort((a, b) => b[1] - a[1] || a[0].length - b[0].length);
  }

  private notesWith(term: string): number {
    return this.vocabulary.get(term) ?? 0;
  }

  /**
   * The word being typed and its completions that are not common words, most common first, while
   * they fit the budget, each with its ranking weight; `all` tells whether every one was taken.
   */
  private completions(
    prefix: string,
    budget = COMMON_NOTES,
  ): { weights: Map<string, number>; all: boolean; notes: number } {
    const found = this.completionsBy(prefix, (_, notes) => notes);
    const weights = new Map<string, number>();
    const budgeted = budget;
    let all = true;
    for (const [term, notes] of found) {
      if (notes > budget || weights.size >= MAX_COMPLETIONS) {
        all = false;
        continue;
      }
      weights.set(term, prefixWeight(term, prefix));
      budget -= notes;
    }
    if (weights.has(prefix)) weights.set(prefix, 1);
    return { weights, all, notes: budgeted - budget };
  }

  /** Ranked hits for a query, best first; `accept` filters ids (e.g. out of the trash). */
  search(query: string, limit = 50, accept: (id: string) => boolean = () => true): NoteSearchHit[] {
    const queryTerms = tokenize(query.trim())
      .map((term) => fold(term))
      .filter(Boolean);
    if (queryTerms.length === 0) return [];
    // A query ending in a space has no word being typed.
    const typing = /\S$/.test(query) ? queryTerms[queryTerms.length - 1]! : null;
    const complete = typing === null ? queryTerms : queryTerms.slice(0, -1);
    let typed = typing === null ? null : this.completions(typing);
    let rare = complete.filter((term) => this.notesWith(term) <= COMMON_NOTES);
    // No rare word, yet other words to check: the least common whole word, or the word being
    // typed through all its completions, finds the candidates when not too common, rather than
    // every note being checked for all the words (that check was most of a keystroke on large
    // workspaces when few notes hold every word).
    if (
      rare.length === 0 &&
      complete.length > 0 &&
      (complete.length > 1 || (typed !== null && !typed.all))
    ) {
      const least = complete.reduce((a, b) => (this.notesWith(b) < this.notesWith(a) ? b : a));
      const wide = typing === null ? null : this.completions(typing, CANDIDATE_NOTES);
      if (wide?.all && wide.weights.size > 0 && wide.notes < this.notesWith(least)) typed = wide;
      else if (this.notesWith(least) <= CANDIDATE_NOTES) rare = [least];
    }
    const common = complete.filter((term) => !rare.includes(term));
    // Every word the one being typed completes to is common ("a", "quarter" at 100,000 notes):
    // it is handled as a common word, checked rather than scored. Scoring it in every field was
    // most of the time of a keystroke on large workspaces, for a weight near zero.
    const onlyCommon = typed !== null && !typed.all && typed.weights.size === 0;
    // The word being typed is scored through its completions when they are all of them, or when
    // no rarer word finds candidates; otherwise it is checked in the candidates.
    const scoreTyping = typed !== null && !onlyCommon && (typed.all || rare.length === 0);
    const checkTyping = typing !== null && !scoreTyping ? typing : null;
    // A word held by that many notes is no typo: it is never searched again as one.
    const forgivable = typing !== null && this.notesWith(typing) <= COMMON_NOTES;
    const tree = (forgiving: boolean): QueryTree => ({
      combineWith: 'AND',
      queries: [
        ...rare.map((term) => ({
          queries: [term],
          prefix: false,
          fuzzy: forgiving ? fuzzy(term) : false,
        })),
        ...(scoreTyping && (forgiving || typed!.weights.size > 0)
          ? [
              {
                combineWith: 'OR' as const,
                queries: [
                  ...typed!.weights.keys(),
                  ...(forgiving && forgivable
                    ? [{ queries: [typing!], fuzzy: fuzzy(typing!) }]
                    : []),
                ],
                prefix: false,
                fuzzy: false,
                boostTerm: (term: string) => typed!.weights.get(term) ?? 1,
              },
            ]
          : []),
      ],
    });
    const scored = new Map<string, { score: number; terms: readonly string[] }>();
    const collect = (results: ReturnType<MiniSearch['search']>, onlyKnown = false) => {
      for (const result of results) {
        const id = String(result.id);
        const known = scored.get(id);
        if (known) known.score += result.score;
        else if (!onlyKnown) scored.set(id, { score: result.score, terms: result.terms });
      }
    };
    // When rarer words or the word being typed are scored, they find the candidates; common words
    // in titles and tags only add to those candidates' scores (else a title holding a common word
    // would be a hit without the query's other words).
    const candidatesScored = rare.length > 0 || scoreTyping;
    if (candidatesScored) {
      const exact = tree(false);
      let results = exact.queries.length > 0 ? this.mini.search(exact) : [];
      // Typos are forgiven only when exact words and completions find too little.
      if (results.length < Math.min(limit, 5)) {
        const forgiving = this.mini.search(tree(true));
        if (forgiving.length > results.length) results = forgiving;
      }
      collect(results);
    }
    // Common words are scored where it is cheap and means most: in titles and tags, unless they
    // are in so many titles that this is not cheap either (and says little). So are the
    // completions of a word being typed that is the whole query, when all are common (within a
    // budget of notes): every note they find holds the start of the word.
    if (
      common.length > 0 &&
      complete.reduce((notes, term) => notes + (this.titled.get(term) ?? 0), 0) <= CANDIDATE_NOTES
    ) {
      collect(
        this.mini.search(
          { combineWith: 'AND', queries: complete.map((term) => ({ queries: [term] })) },
          { fields: ['title', 'tags'], prefix: false, fuzzy: false },
        ),
        candidatesScored,
      );
    } else if (onlyCommon && complete.length === 0) {
      const weights = this.titleCompletions(typing!);
      if (weights.size > 0)
        collect(
          this.mini.search(
            { combineWith: 'OR', queries: [...weights.keys()] },
            {
              fields: ['title', 'tags'],
              prefix: false,
              fuzzy: false,
              boostTerm: (term: string) => weights.get(term) ?? 1,
            },
          ),
        );
    }
    // Notes that score the same rank by id. Scores equal in exact arithmetic can differ in their
    // last bits with the order notes were indexed in (the index keeps running averages), and
    // bodies are indexed in whatever order they are read: within a billionth of each other they
    // count as equal, so a search answers in the same order whichever way its index was built.
    const ranked = [...scored.entries()].sort((a, b) => {
      const difference = b[1].score - a[1].score;
      if (Math.abs(difference) > 1e-9 * Math.abs(a[1].score)) return difference;
      return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
    });
    // Checks run on the folded text with the highlighter's notion of a word start.
    // (ASCII text needs no folding: a case-insensitive pattern finds the same, without a copy.)
    const wholeWords = common.map(
      (term) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(term)}(?![\\p{L}\\p{N}])`, 'iu'),
    );
    const startOf = (prefix: string | null) =>
      prefix === null ? null : new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(prefix)}`, 'iu');
    // Each field is checked on its own, as no word spans two: copying a note's text to check it
    // made most of a keystroke's garbage when thousands of notes were checked.
    const holds = (entry: NoteSearchEntry, pattern: RegExp): boolean =>
      pattern.test(checkable(entry.title)) ||
      pattern.test(checkable(entry.text)) ||
      (entry.tags.length > 0 && pattern.test(checkable(entry.tags.join(' '))));
    const matches = (entry: NoteSearchEntry, prefix: RegExp | null): boolean =>
      wholeWords.every((word) => holds(entry, word)) && (prefix === null || holds(entry, prefix));
    const checked = startOf(checkTyping);

    const chosen: Array<{ entry: NoteSearchEntry; score: number }> = [];
    // One pattern highlights every hit: the query's words and all the words the hits matched
    // (completions, typos forgiven). Compiling one per hit's set of words cost more than the search.
    const highlighted = new Set(queryTerms);
    const add = (entry: NoteSearchEntry, score: number, matched: readonly string[]) => {
      for (const term of matched) highlighted.add(term);
      chosen.push({ entry, score });
    };
    for (const [id, { score, terms }] of ranked) {
      if (chosen.length >= limit) break;
      const entry = this.entries.get(id);
      if (entry && accept(id) && matches(entry, checked)) add(entry, score, terms);
    }
    // Only common words (or the start of one) left out of scoring: the ranked notes hold them in
    // a title or tag, or hold a rarer completion; the other notes holding them follow, unranked.
    // (Not when every completion of the word being typed was scored: no other note holds one.)
    if (
      chosen.length < limit &&
      rare.length === 0 &&
      !(scoreTyping && typed!.all) &&
      (common.length > 0 || (typed !== null && !typed.all))
    ) {
      const prefix = startOf(typing);
      for (const entry of this.entries.values()) {
        if (chosen.length >= limit) break;
        if (!scored.has(entry.id) && accept(entry.id) && matches(entry, prefix)) add(entry, 0, []);
      }
    }
    const pattern = matcher([...highlighted]);
    return chosen.map(({ entry, score }) => ({
      id: entry.id,
      score,
      title: highlight(entry.title, [], pattern),
      excerpt: excerpt(entry.text, 160, pattern),
    }));
  }
}
