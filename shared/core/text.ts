/** Plain-text helpers shared by the model's readers, exporters and search. */

/** Text on one line: every run of white space (line breaks too) becomes one space, ends trimmed. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const englishPlural = new Intl.PluralRules('en');

/**
 * "1 device", "2 devices", "0 devices": a count with its noun in the form English needs, by the
 * engine's plural rules (so a count is never shown as "1 devices").
 */
export function countOf(count: number, one: string, other = `${one}s`): string {
  return `${count} ${englishPlural.select(count) === 'one' ? one : other}`;
}
