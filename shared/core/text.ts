/** Plain-text helpers shared by the model's readers, exporters and search. */

/** Text that {@link oneLine} would change: white space other than single spaces, or at an end. */
const NOT_ONE_LINE = /\s\s|[^\S ]|^\s|\s$/;

/**
 * Text on one line: every run of white space (line breaks too) becomes one space, ends trimmed.
 * Text already on one line is returned as it is, not copied: a note's text passes through here
 * more than once on its way to the search index, and each copy stayed in memory beside the other
 * (every body twice over, 40 MB at 100,000 notes).
 */
export function oneLine(text: string): string {
  return NOT_ONE_LINE.test(text) ? text.replace(/\s+/g, ' ').trim() : text;
}

const englishPlural = new Intl.PluralRules('en');

/**
 * "1 device", "2 devices", "0 devices": a count with its noun in the form English needs, by the
 * engine's plural rules (so a count is never shown as "1 devices").
 */
export function countOf(count: number, one: string, other = `${one}s`): string {
  return `${count} ${englishPlural.select(count) === 'one' ? one : other}`;
}
