/**
 * Reading a MADR file (Markdown Any Decision Record, https://adr.github.io/madr/) into plain
 * fields: front matter (status, date, deciders, consulted, informed, tags, review date) and the
 * MADR sections. Sections it does not know go into the context, so nothing in the file is lost;
 * decisionsMadr.ts turns the result into a decision.
 */
import { fail, ok, type Result } from '../result';
import { DecisionStatus, Tag, type DecisionRole } from '../schema/records';
import { oneLine } from '../core/text';

const MADR_MAX_BYTES = 1_000_000;

const SECTION = {
  context: 'context and problem statement',
  drivers: 'decision drivers',
  options: 'considered options',
  proposal: 'proposal',
  outcome: 'decision outcome',
  prosCons: 'pros and cons of the options',
  votes: 'votes',
} as const;

export interface MadrDocument {
  readonly title: string;
  readonly status: DecisionStatus;
  readonly date: string | null;
  readonly people: readonly { readonly name: string; readonly role: DecisionRole }[];
  readonly tags: readonly string[];
  readonly reviewOn: string | null;
  readonly contextMarkdown: string;
  readonly drivers: readonly string[];
  readonly options: readonly { title: string; pros: string[]; cons: string[] }[];
  readonly proposal: string;
  readonly chosenOption: string | null;
  readonly outcome: string;
  readonly warnings: readonly string[];
}

function bullets(body: string): string[] {
  return body
    .split('\n')
    .map((line) => line.match(/^\s*[-*+]\s+(.*)$/)?.[1]?.trim())
    .filter((item): item is string => !!item);
}

/** Parses MADR Markdown into plain fields, or explains what is wrong with it. */
export function parseMadr(text: string, fileName: string): Result<MadrDocument> {
  const bad = (message: string) => fail<MadrDocument>('invalid-madr', `${fileName}: ${message}`);
  if (text.length > MADR_MAX_BYTES) return bad('the file is larger than 1 MB.');
  if (text.includes('\u0000')) return bad('this is not a text file.');
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const warnings: string[] = [];
  const front = new Map<string, string>();
  let body = source;
  if (source.startsWith('---\n')) {
    const end = source.indexOf('\n---', 4);
    if (end < 0) return bad('the front matter that starts with "---" is never closed.');
    for (const [index, line] of source.slice(4, end).split('\n').entries()) {
      if (!line.trim() || line.trim().startsWith('#')) continue;
      const match = line.match(/^([A-Za-z][\w-]*)\s*:\s*(.*)$/);
      if (!match) return bad(`front matter line ${index + 2} is not "key: value": ${line.trim()}`);
      let value = match[2]!.trim();
      if (/^".*"$/.test(value)) {
        try {
          value = JSON.parse(value) as string;
        } catch {
          return bad(`front matter line ${index + 2} has a broken quoted value.`);
        }
      } else if (/^'.*'$/.test(value)) value = value.slice(1, -1);
      front.set(match[1]!.toLowerCase(), value);
    }
    body = source.slice(end + 4).replace(/^[^\n]*\n?/, '');
  }

  const titleMatch = body.match(/^#\s+(.+?)\s*#*\s*$/m);
  if (!titleMatch) return bad('no title. A MADR file has a "# Title" heading.');
  const title = oneLine(titleMatch[1]!);
  if (title.length > 200) return bad('the title is longer than 200 characters.');

  let status: DecisionStatus = 'proposed';
  const rawStatus = front.get('status');
  if (rawStatus !== undefined) {
    const word = rawStatus.toLowerCase().split(/\s+/)[0] ?? '';
    if (word === 'superseded') {
      status = 'accepted';
      warnings.push(
        `It was "${rawStatus}". It is imported as accepted; supersede it with the replacing decision once that is here.`,
      );
    } else if (word === 'deprecated') {
      status = 'rejected';
      warnings.push('It was deprecated; it is imported as rejected.');
    } else {
      const parsed = DecisionStatus.safeParse(word);
      if (!parsed.success)
        return bad(
          `unknown status "${rawStatus}". Use draft, proposed, accepted, rejected or superseded.`,
        );
      status = parsed.data;
    }
  }
  const date = front.get('date') ?? null;
  if (date !== null && (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))))
    return bad(`the date "${date}" is not a date like 2026-01-31.`);
  const reviewOn = front.get('review-date') ?? null;
  if (reviewOn !== null && !/^\d{4}-\d{2}-\d{2}$/.test(reviewOn))
    return bad(`the review date "${reviewOn}" is not a date like 2026-01-31.`);
  const people: { name: string; role: DecisionRole }[] = [];
  for (const [key, role] of [
    ['deciders', 'decider'],
    ['decision-makers', 'decider'],
    ['consulted', 'consulted'],
    ['informed', 'informed'],
  ] as const) {
    for (const name of (front.get(key) ?? '').split(',').map((item) => item.trim()))
      if (name) people.push({ name, role });
  }
  const tags: string[] = [];
  for (const raw of (front.get('tags') ?? '').split(',').map((item) => item.trim())) {
    if (!raw) continue;
    const tag = Tag.safeParse(raw);
    if (tag.success) tags.push(tag.data);
    else warnings.push(`The tag "${raw}" is not usable (no spaces, commas or #) and was left out.`);
  }

  // Split the body after the title into "## " sections.
  const afterTitle = body.slice((titleMatch.index ?? 0) + titleMatch[0].length);
  const sections: { heading: string; body: string }[] = [];
  let preamble = '';
  for (const chunk of afterTitle.split(/^(?=##\s)/m)) {
    const heading = chunk.match(/^##\s+(.+?)\s*#*\s*$/m);
    if (heading && chunk.startsWith('##') && !chunk.startsWith('###'))
      sections.push({
        heading: heading[1]!.trim(),
        body: chunk.slice(heading[0].length).trim(),
      });
    else preamble += chunk;
  }
  const contextParts: string[] = [];
  if (preamble.trim()) contextParts.push(preamble.trim());
  let drivers: string[] = [];
  let optionTitles: string[] = [];
  let proposal = '';
  let outcome = '';
  let chosenOption: string | null = null;
  const prosCons = new Map<string, { pros: string[]; cons: string[] }>();
  for (const section of sections) {
    const key = section.heading.toLowerCase();
    if (key === SECTION.context) {
      if (section.body !== '(none)') contextParts.unshift(section.body);
    } else if (key === SECTION.drivers) drivers = bullets(section.body);
    else if (key === SECTION.options) optionTitles = bullets(section.body);
    else if (key === SECTION.proposal) proposal = section.body;
    else if (key === SECTION.outcome) {
      const chosen = section.body.match(
        /^(?:Chosen|Proposed|Rejected) option:\s*"([^"]+)"(?:,\s*because\s*([\s\S]*))?$/m,
      );
      if (chosen) {
        chosenOption = chosen[1]!.trim();
        outcome = (chosen[2] ?? '').trim();
        const rest = section.body.slice((chosen.index ?? 0) + chosen[0].length).trim();
        if (rest) outcome = `${outcome}\n\n${rest}`.trim();
      } else if (!/^\(.*no outcome yet\)$/.test(section.body)) outcome = section.body;
    } else if (key === SECTION.prosCons) {
      for (const part of section.body.split(/^(?=###\s)/m)) {
        const heading = part.match(/^###\s+(.+?)\s*$/m);
        if (!heading) continue;
        const entry = { pros: [] as string[], cons: [] as string[] };
        for (const item of bullets(part)) {
          const good = item.match(/^Good,?\s*because\s+(.*)$/i);
          const badItem = item.match(/^Bad,?\s*because\s+(.*)$/i);
          if (good) entry.pros.push(good[1]!);
          else if (badItem) entry.cons.push(badItem[1]!);
          else entry.pros.push(item.replace(/^Neutral,?\s*because\s+/i, 'Neutral: '));
        }
        prosCons.set(heading[1]!.trim(), entry);
      }
    } else if (key === SECTION.votes) {
      warnings.push('Votes are not imported: each member votes in Outpost.');
    } else contextParts.push(`## ${section.heading}\n\n${section.body}`);
  }
  for (const name of prosCons.keys()) if (!optionTitles.includes(name)) optionTitles.push(name);
  if (chosenOption && !optionTitles.includes(chosenOption)) optionTitles.push(chosenOption);
  if (optionTitles.length > 50) return bad('more than 50 options.');
  const options = optionTitles.map((optionTitle) => {
    if (optionTitle.length > 200) return { title: optionTitle.slice(0, 200), pros: [], cons: [] };
    return { title: optionTitle, ...(prosCons.get(optionTitle) ?? { pros: [], cons: [] }) };
  });
  if (!title) return bad('the title is empty.');
  return ok({
    title,
    status,
    date,
    people,
    tags,
    reviewOn,
    contextMarkdown: contextParts.join('\n\n'),
    drivers,
    options,
    proposal,
    chosenOption,
    outcome,
    warnings,
  });
}
