/**
 * The notes index on a workspace large enough that some words are common (held by more notes than
 * the index scores): such words, and the completions of a word being typed, still find exactly
 * the notes that hold them, whether they are scored or checked.
 */
import { describe, expect, it } from 'vitest';
import { NoteSearchIndex } from '../../../shared/model/notesSearch';

const COMMON = 2_100; // more notes than the index scores a word over

function workspace(): NoteSearchIndex {
  const index = new NoteSearchIndex();
  for (let i = 0; i < COMMON; i++)
    index.set({
      id: `n${i}`,
      title: i % 500 === 0 ? `The plan ${i}` : `Week ${i}`,
      text: `We plan the week ${i}. ${i % 100 === 0 ? 'Zebra crossing near the office.' : ''}`,
      tags: [],
    });
  index.set({ id: 'z1', title: 'Zebra', text: 'A zebra without plans', tags: ['zoo'] });
  index.set({ id: 'p1', title: 'Platypus', text: 'A platypus at the zoo', tags: [] });
  return index;
}

const ids = (hits: ReadonlyArray<{ id: string }>) => hits.map((hit) => hit.id).sort();

describe('searching words most notes hold', () => {
  const index = workspace();

  it('finds a common word in every note that holds it, titles first', () => {
    const hits = index.search('plan ', 3000);
    expect(hits).toHaveLength(COMMON);
    // The notes with the word in the title rank first.
    expect(ids(hits.slice(0, 5))).toEqual(['n0', 'n1000', 'n1500', 'n2000', 'n500']);
    expect(hits[0]!.title.find((part) => part.match)?.text).toBe('plan');
  });

  it('checks a common word against the notes a rarer word finds', () => {
    expect(ids(index.search('zebra the ', 100))).toEqual(
      ids(Array.from({ length: 21 }, (_, i) => ({ id: `n${i * 100}` }))),
    );
    expect(ids(index.search('zebra plan ', 100))).toHaveLength(21);
  });

  it('finds every note holding a completion of the word being typed', () => {
    // "pla" completes to "plan" (common), "plans" and "platypus" (rare).
    expect(index.search('pla', 3000)).toHaveLength(COMMON + 2);
    expect(ids(index.search('zebra pla', 100))).toHaveLength(22);
    expect(ids(index.search('zoo pla', 100))).toEqual(['p1', 'z1']);
    expect(ids(index.search('zoo platy', 100))).toEqual(['p1']);
  });

  it('finds only notes holding every word when a common word is in titles', () => {
    // "plan" is in five titles; those notes hold no completion of "zeb", so they are no hits.
    expect(ids(index.search('plan zeb', 100))).toEqual(
      ids(Array.from({ length: 21 }, (_, i) => ({ id: `n${i * 100}` }))),
    );
    expect(ids(index.search('plan platy', 100))).toEqual([]);
  });

  it('ranks titles first for a common word being typed, then every other note holding it', () => {
    // "the" completes to no rarer word: it is checked in every note, titles ranked first.
    const hits = index.search('the', 3000);
    expect(hits).toHaveLength(COMMON + 1);
    expect(ids(hits.slice(0, 5))).toEqual(['n0', 'n1000', 'n1500', 'n2000', 'n500']);
    expect(hits[0]!.title.find((part) => part.match)?.text).toBe('The');
  });

  it('still forgives a typo when exact words find nothing', () => {
    expect(ids(index.search('platipus', 10))).toEqual(['p1']);
  });
});

describe('highlighting what each hit matched', () => {
  it('marks the whole completion or forgiven typo in every hit, on one line', () => {
    const index = new NoteSearchIndex();
    index.set({ id: 'a', title: 'Planning', text: 'We are\n\n  planning the trip.', tags: [] });
    index.set({ id: 'b', title: 'Plans', text: 'Two plans, one planet.', tags: [] });
    index.set({ id: 'c', title: 'Other', text: 'Nothing here.', tags: [] });
    const marked = (parts: ReadonlyArray<{ text: string; match: boolean }>) =>
      parts.filter((part) => part.match).map((part) => part.text);
    const hits = new Map(index.search('pla', 10).map((hit) => [hit.id, hit]));
    expect([...hits.keys()].sort()).toEqual(['a', 'b']);
    expect(marked(hits.get('a')!.title)).toEqual(['Planning']);
    expect(marked(hits.get('a')!.excerpt)).toEqual(['planning']);
    expect(
      hits
        .get('a')!
        .excerpt.map((part) => part.text)
        .join(''),
    ).toBe('We are planning the trip.');
    expect(marked(hits.get('b')!.excerpt)).toEqual(['plans', 'planet']);
    const typo = index.search('planing', 10).find((hit) => hit.id === 'a');
    expect(marked(typo!.excerpt)).toEqual(['planning']);
  });
});

describe('searching two common words few notes hold together', () => {
  // "alpha" and "beta" are each in 2,100 notes (more than the index scores a word over), both in
  // only three of them: the rarer one finds the candidates, the other is checked in them.
  const index = new NoteSearchIndex();
  for (let i = 0; i < COMMON; i++) {
    index.set({
      id: `a${i}`,
      title: `Note ${i}`,
      text: `alpha ${i % 700 === 0 ? 'beta' : ''}`,
      tags: [],
    });
    if (i % 700 !== 0) index.set({ id: `b${i}`, title: `Note ${i}`, text: 'beta gamma', tags: [] });
  }
  index.set({ id: 'b-extra', title: 'Beta', text: 'beta', tags: [] });
  const both = ['a0', 'a1400', 'a700'];

  it('finds exactly the notes holding both, whole or being typed', () => {
    expect(ids(index.search('alpha beta ', 100))).toEqual(both);
    expect(ids(index.search('beta alpha ', 100))).toEqual(both);
    expect(ids(index.search('alpha bet', 100))).toEqual(both);
    expect(ids(index.search('beta alp', 100))).toEqual(both);
  });

  it('checks a common word again in a note edited between two keystrokes', () => {
    const edited = new NoteSearchIndex();
    for (let i = 0; i < COMMON; i++)
      edited.set({
        id: `a${i}`,
        title: `Note ${i}`,
        text: `alpha ${i < 3 ? 'beta' : ''}`,
        tags: [],
      });
    for (let i = 0; i < COMMON; i++)
      edited.set({ id: `b${i}`, title: `Note ${i}`, text: 'beta gamma', tags: [] });
    expect(ids(edited.search('alpha beta ', 100))).toEqual(['a0', 'a1', 'a2']);
    // The same words asked again of the same notes, after one lost a word and one gained it.
    edited.set({ id: 'a1', title: 'Note 1', text: 'alpha', tags: [] });
    edited.set({ id: 'a9', title: 'Note 9', text: 'alpha beta', tags: [] });
    expect(ids(edited.search('alpha beta ', 100))).toEqual(['a0', 'a2', 'a9']);
    edited.remove('a0');
    expect(ids(edited.search('alpha beta ', 100))).toEqual(['a2', 'a9']);
  });

  it('ranks notes that score the same by id, whatever order they were indexed in', () => {
    const twins = ['n3', 'n1', 'n2'].map((id) => ({
      id,
      title: 'Quarterly review',
      text: 'Budget and hiring for the quarter.',
      tags: [],
    }));
    const forward = new NoteSearchIndex();
    for (const note of twins) forward.set(note);
    const backward = new NoteSearchIndex();
    for (const note of [...twins].reverse()) backward.set(note);
    expect(forward.search('budget').map((hit) => hit.id)).toEqual(['n1', 'n2', 'n3']);
    expect(backward.search('budget').map((hit) => hit.id)).toEqual(['n1', 'n2', 'n3']);
  });
});
