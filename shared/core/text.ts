/** Plain-text helpers shared by the model's readers, exporters and search. */

/** Text on one line: every run of white space (line breaks too) becomes one space, ends trimmed. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
