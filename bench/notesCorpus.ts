/**
 * A generated notes workspace that searches like a real one: 10,000 notes of ~500 characters whose
 * words follow a Zipf-like distribution over a vocabulary of ~5,000 words (common English function
 * words first, then work words, then generated words standing in for the long tail of jargon),
 * with people's names, places and tags sprinkled in. Queries are what a person types: one or two
 * words remembered from a note, searched again at every keystroke while typing them. Everything
 * comes from fixed seeds, so every run searches the same corpus with the same queries.
 */
import * as Y from 'yjs';
import { notes, noteBody } from '../shared/model';
import { writeBodyTree, type BodyNode } from '../shared/model/notesBody';

/** How many notes the notes benches hold. */
export const NOTES = 10_000;
export const CORPUS_SEED = 20_260_101;
export const QUERY_SEED = 7;

/** A small, fast, seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FUNCTION_WORDS = (
  'the to and of a in is that for it we on with this be are as at will have not by from or ' +
  'but an our can so if they was all more about what which when there their do one should ' +
  'up out has also would some into than then them just could how other these after over only'
).split(' ');

const WORK_WORDS = (
  'plan ship beta launch retro update blocker team remote offline sync design review goal ' +
  'decision proposal budget hiring travel customer feedback roadmap async meeting draft summary ' +
  'research metrics growth quality release bug fix test build deploy server client mobile desktop ' +
  'editor search index cache memory storage network focus week month quarter sprint milestone ' +
  'deadline owner priority scope risk estimate contract invoice vendor onboarding interview ' +
  'candidate offer salary policy security privacy backup restore migration schema database query ' +
  'latency throughput outage incident postmortem alert dashboard report analysis experiment ' +
  'prototype mockup wireframe feature request ticket backlog epic story task checklist template ' +
  'agenda minutes action followup handoff workshop training documentation guide tutorial article ' +
  'announcement newsletter campaign marketing sales pricing revenue churn retention signup ' +
  'conversion funnel partner integration plugin extension settings profile account billing ' +
  'payment refund support question answer issue problem solution idea option tradeoff approach ' +
  'architecture protocol encryption signature certificate domain email calendar timezone ' +
  'schedule vacation holiday conference trip flight hotel visa expense receipt laptop monitor ' +
  'keyboard office coworking internet bandwidth connection latency peer discovery compaction ' +
  'snapshot version changelog license compliance audit legal board investor runway forecast'
).split(' ');

const PEOPLE = (
  'ana bruno chiara dmitri elena farid greta hiroshi ines jonas kofi lucia mateo nadia oskar ' +
  'priya quentin rosa samir tomas ursula vikram wanjiru xavier yara zoltan amara birgit carlos ' +
  'dagny emeka fatima goran helga ivan juno kenji leila marek nora'
).split(' ');

const PLACES = (
  'lisbon porto berlin nairobi lagos bogota lima montreal oslo tallinn kyoto manila jakarta ' +
  'hanoi tbilisi yerevan madrid valencia krakow zagreb'
).split(' ');

const SYLLABLES = (
  'ka ko ki ku ma mo mi mu na no ni nu ra ro ri ru ta to ti tu la lo li lu sa so si su va vo ' +
  'vi ve da do di de ba bo bi be ga go gi ge pa po pi pe fe fa fo zen tor lin mar kel dor ' +
  'ven sol rin tas bel nor'
).split(' ');

/** Generated words standing in for the long tail (project names, jargon, rare words). */
function tailWords(count: number, next: () => number, taken: Set<string>): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const parts = 2 + Math.floor(next() * 2);
    let word = '';
    for (let i = 0; i < parts; i++) word += SYLLABLES[Math.floor(next() * SYLLABLES.length)]!;
    if (word.length < 4 || taken.has(word)) continue;
    taken.add(word);
    out.push(word);
  }
  return out;
}

/** Samples ranks 0..n-1 with probability ∝ 1 / (rank + 1)^s. */
function zipf(n: number, s: number, next: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let rank = 0; rank < n; rank++) {
    total += 1 / Math.pow(rank + 1, s);
    cumulative[rank] = total;
  }
  return () => {
    const target = next() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle]! < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}

export interface CorpusNote {
  readonly title: string;
  readonly tags: readonly string[];
  /** The body's plain text, as the search library alone would be given it. */
  readonly text: string;
}

export interface Corpus {
  readonly notes: readonly CorpusNote[];
  /** The vocabulary, most frequent first. */
  readonly vocabulary: readonly string[];
  /** The workspace's state with every note in it (`base` applied first). */
  readonly state: Uint8Array;
}

const capitalize = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/**
 * Generates `count` notes into a copy of `base` (a workspace's stored state; may be empty) and
 * returns the new state and the plain strings of every note.
 */
export function generateCorpus(count: number, base?: Uint8Array): Corpus {
  const next = rng(CORPUS_SEED);
  const taken = new Set([...FUNCTION_WORDS, ...WORK_WORDS, ...PEOPLE, ...PLACES]);
  const content = [...WORK_WORDS, ...tailWords(4_700, next, taken)];
  const vocabulary = [...FUNCTION_WORDS, ...content];
  const word = zipf(vocabulary.length, 1.0, next);
  const contentWord = zipf(content.length, 1.0, next);
  const person = zipf(PEOPLE.length, 0.8, next);
  const place = zipf(PLACES.length, 0.8, next);
  const tagPool = WORK_WORDS.slice(0, 80);
  const tag = zipf(tagPool.length, 1.1, next);

  const sentence = (words: number): string => {
    const out: string[] = [];
    for (let i = 0; i < words; i++) {
      const roll = next();
      out.push(
        roll < 0.03
          ? capitalize(PEOPLE[person()]!)
          : roll < 0.045
            ? capitalize(PLACES[place()]!)
            : vocabulary[word()]!,
      );
    }
    return `${capitalize(out.join(' '))}.`;
  };
  const title = (): string => {
    const out: string[] = [];
    const words = 2 + Math.floor(next() * 4);
    for (let i = 0; i < words; i++)
      out.push(next() < 0.15 ? capitalize(PEOPLE[person()]!) : content[contentWord()]!);
    return capitalize(out.join(' '));
  };

  const doc = new Y.Doc();
  if (base) Y.applyUpdate(doc, base);
  const ctx = { actor: 'bench-member', now: () => 1_700_000_000_000 };
  const out: CorpusNote[] = [];
  for (let i = 0; i < count; i++) {
    const heading = sentence(3 + Math.floor(next() * 3)).slice(0, -1);
    const lead = sentence(16 + Math.floor(next() * 8));
    const bold = sentence(3);
    const rest = sentence(16 + Math.floor(next() * 10));
    const items = [0, 1, 2].map(() => sentence(5 + Math.floor(next() * 5)));
    const closing = sentence(11 + Math.floor(next() * 10));
    const body: BodyNode[] = [
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: heading }] },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: `${lead} ` },
          { type: 'text', text: bold, marks: { bold: {} } },
          { type: 'text', text: ` ${rest}` },
        ],
      },
      {
        type: 'bulletList',
        content: items.map((item) => ({
          type: 'listItem' as const,
          content: [
            { type: 'paragraph' as const, content: [{ type: 'text' as const, text: item }] },
          ],
        })),
      },
      { type: 'paragraph', content: [{ type: 'text', text: closing }] },
    ];
    const tags = [
      ...new Set(Array.from({ length: Math.floor(next() * 3) }, () => tagPool[tag()]!)),
    ];
    const noteTitle = title();
    doc.transact(() => {
      const created = notes.create(
        doc,
        { ...ctx, now: () => ctx.now() + i * 1000 },
        {
          title: noteTitle,
          tags,
        },
      );
      if (!created.ok) throw new Error(created.error.message);
      writeBodyTree(noteBody(doc, created.value.id)!, body);
    });
    out.push({
      title: noteTitle,
      tags,
      text: [heading, `${lead} ${bold} ${rest}`, ...items, closing].join('\n'),
    });
  }
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return { notes: out, vocabulary, state };
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * What a person types into the search box: 1–2 words they remember from some note (a name, a
 * topic word, a rarer word), and every prefix on the way there, since the list searches at each
 * keystroke. Function words are not searched for.
 */
export function typedQueries(corpus: Corpus, intents: number): string[] {
  const next = rng(QUERY_SEED);
  const skip = new Set(FUNCTION_WORDS);
  const queries: string[] = [];
  for (let i = 0; i < intents; i++) {
    const note = corpus.notes[Math.floor(next() * corpus.notes.length)]!;
    const words = [...`${note.title} ${note.text}`.toLowerCase().matchAll(WORD)]
      .map((match) => match[0])
      .filter((w) => !skip.has(w) && w.length > 2);
    const first = words[Math.floor(next() * words.length)]!;
    const second = words[Math.floor(next() * words.length)]!;
    const full = next() < 0.5 || second === first ? first : `${first} ${second}`;
    // Keystroke by keystroke, from the first character to the whole query.
    for (let end = 1; end <= full.length; end++) {
      const typed = full.slice(0, end);
      if (!typed.endsWith(' ')) queries.push(typed);
    }
  }
  return queries;
}
