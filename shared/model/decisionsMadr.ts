/**
 * MADR (Markdown Any Decision Record, https://adr.github.io/madr/) export and import: one Markdown
 * file per decision with YAML-style front matter (status, date, deciders, consulted, informed) and
 * the MADR sections. The rich-text context converts through TipTap's Markdown manager and the
 * ProseMirror ↔ Yjs binding, with the same schema the context editor uses. Import validates first
 * and writes nothing unless the whole file is usable; sections it does not know are kept in the
 * context, so nothing in the file is lost.
 */
import type * as Y from 'yjs';
import { getSchema, type JSONContent } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { MarkdownManager } from '@tiptap/markdown';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { decisions, decisionContext, arrayOf } from './decisions';
import { tallyVotes } from './decisionsVotes';
import { newId } from '../core/ids';
import { MODEL_ORIGIN } from './roots';
import type { ModelContext } from './collection';
import { fail, ok, type Result } from '../result';
import {
  DecisionStatus,
  Tag,
  type Decision,
  type DecisionRole,
  type Member,
  type StatusChange,
} from '../schema/records';
import { safeLinkUrl } from './notesLinks';
import { oneLine } from '../core/text';

/** The rich-text extensions of a decision's context (the editor adds only non-schema behaviour). */
export const DECISION_CONTEXT_EXTENSIONS = [StarterKit];

let markdown: MarkdownManager | null = null;
function manager(): MarkdownManager {
  markdown ??= new MarkdownManager({ extensions: DECISION_CONTEXT_EXTENSIONS });
  return markdown;
}
let schema: ReturnType<typeof getSchema> | null = null;
function contextSchema(): ReturnType<typeof getSchema> {
  schema ??= getSchema(DECISION_CONTEXT_EXTENSIONS);
  return schema;
}

export const MADR_MAX_BYTES = 1_000_000;

/**
 * Removes, in place, every `link` mark whose address Outpost would not open (javascript:, data:,
 * file:, relative paths), keeping its text; returns how many were removed. Walks iteratively.
 */
function dropUnopenableLinks(root: JSONContent): number {
  let dropped = 0;
  const stack: JSONContent[] = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (node.marks) {
      const kept = node.marks.filter((mark) => {
        const href: unknown = mark.attrs?.href;
        const bad = mark.type === 'link' && (typeof href !== 'string' || !safeLinkUrl(href));
        if (bad) dropped += 1;
        return !bad;
      });
      if (kept.length === 0) delete node.marks;
      else node.marks = kept;
    }
    if (node.content) stack.push(...node.content);
  }
  return dropped;
}

const SECTION = {
  context: 'context and problem statement',
  drivers: 'decision drivers',
  options: 'considered options',
  proposal: 'proposal',
  outcome: 'decision outcome',
  prosCons: 'pros and cons of the options',
  votes: 'votes',
} as const;

/** A file name: `0007-use-written-updates.md`. */
export function madrFileName(decision: Pick<Decision, 'title'>, number: number): string {
  const slug =
    decision.title
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'decision';
  return `${String(number).padStart(4, '0')}-${slug}.md`;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

function names(ids: readonly string[], members: readonly Member[]): string {
  return ids.map((id) => members.find((member) => member.id === id)?.name ?? id).join(', ');
}

/** One line of front matter; quoted when the value could be misread. */
function frontValue(value: string): string {
  return /^[\w .,'@()/-]*$/.test(value) && !/^\s|\s$/.test(value) ? value : JSON.stringify(value);
}

/**
 * Renders one decision as MADR Markdown. `all` resolves the replacing decision's title and
 * number; `numberOf` gives each decision's number (its place in creation order).
 */
export function exportMadr(
  doc: Y.Doc,
  decision: Decision,
  members: readonly Member[],
  all: readonly Decision[],
): { fileName: string; markdown: string } {
  const numberOf = (id: string) =>
    [...all]
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .findIndex((item) => item.id === id) + 1;
  const byRole = (role: DecisionRole) =>
    decision.people.filter((person) => person.role === role).map((person) => person.member);
  const lastChange = decision.history.at(-1);
  const front: [string, string][] = [];
  if (decision.status === 'superseded' && decision.supersededBy) {
    const replacement = all.find((item) => item.id === decision.supersededBy);
    const label = replacement
      ? `[${replacement.title}](${madrFileName(replacement, numberOf(replacement.id))})`
      : decision.supersededBy;
    front.push(['status', `superseded by ${label}`]);
  } else front.push(['status', decision.status]);
  front.push(['date', isoDay(lastChange?.at ?? decision.updatedAt)]);
  for (const [key, role] of [
    ['deciders', 'decider'],
    ['consulted', 'consulted'],
    ['informed', 'informed'],
  ] as const) {
    const ids = byRole(role);
    if (ids.length > 0) front.push([key, names(ids, members)]);
  }
  if (decision.tags.length > 0) front.push(['tags', decision.tags.join(', ')]);
  if (decision.reviewOn) front.push(['review-date', decision.reviewOn]);

  const out: string[] = ['---'];
  for (const [key, value] of front)
    out.push(`${key}: ${key === 'status' ? value : frontValue(value)}`);
  out.push('---', '', `# ${decision.title}`, '');
  const fragment = decisionContext(doc, decision.id);
  const context = fragment
    ? manager()
        .serialize(yXmlFragmentToProsemirrorJSON(fragment) as JSONContent)
        .trim()
    : '';
  out.push('## Context and Problem Statement', '', context || '(none)', '');
  const drivers = lines(decision.drivers);
  if (drivers.length > 0) {
    out.push('## Decision Drivers', '');
    for (const driver of drivers) out.push(`* ${driver}`);
    out.push('');
  }
  if (decision.options.length > 0) {
    out.push('## Considered Options', '');
    for (const option of decision.options) out.push(`* ${option.title}`);
    out.push('');
  }
  if (decision.proposal.trim()) out.push('## Proposal', '', decision.proposal.trim(), '');
  const chosen = decision.options.find((option) => option.id === decision.proposedOptionId);
  out.push('## Decision Outcome', '');
  if (chosen) {
    const lead =
      decision.status === 'accepted' || decision.status === 'superseded'
        ? 'Chosen option'
        : decision.status === 'rejected'
          ? 'Rejected option'
          : 'Proposed option';
    const because = decision.outcome.trim();
    out.push(`${lead}: "${chosen.title}"${because ? `, because ${because}` : ''}`, '');
  } else out.push(decision.outcome.trim() || `(${decision.status}, no outcome yet)`, '');
  if (decision.votes.length > 0) {
    const tally = tallyVotes(decision.votes, decision.closesAt);
    out.push('## Votes', '');
    out.push(
      `${tally.counts.agree} agree, ${tally.counts.abstain} abstain, ${tally.counts.disagree} disagree, ${tally.counts.block} block` +
        (tally.lateCount > 0 ? ` (${tally.lateCount} late, not counted)` : ''),
      '',
    );
    for (const entry of tally.members) {
      if (!entry.counted) continue;
      const who = names([entry.member], members);
      out.push(
        `* ${who}: ${entry.counted.choice}${entry.counted.reason ? ` — ${entry.counted.reason}` : ''}`,
      );
    }
    out.push('');
  }
  const withNotes = decision.options.filter((option) => option.pros.trim() || option.cons.trim());
  if (withNotes.length > 0) {
    out.push('## Pros and Cons of the Options', '');
    for (const option of withNotes) {
      out.push(`### ${option.title}`, '');
      for (const pro of lines(option.pros)) out.push(`* Good, because ${pro}`);
      for (const con of lines(option.cons)) out.push(`* Bad, because ${con}`);
      out.push('');
    }
  }
  return {
    fileName: madrFileName(decision, numberOf(decision.id)),
    markdown: `${out.join('\n').trimEnd()}\n`,
  };
}

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

/**
 * Imports one MADR file as a new decision in one transaction. People are matched to members by
 * name; names that match nobody are kept in the context. Returns the decision and warnings.
 */
export function importMadr(
  doc: Y.Doc,
  ctx: ModelContext,
  text: string,
  fileName: string,
  members: readonly Member[],
): Result<{ decision: Decision; warnings: string[] }> {
  const parsed = parseMadr(text, fileName);
  if (!parsed.ok) return parsed;
  const madr = parsed.value;
  const warnings = [...madr.warnings];
  const now = (ctx.now ?? Date.now)();
  const people: Record<string, DecisionRole> = {};
  const unknown: string[] = [];
  for (const person of madr.people) {
    const member = members.find(
      (candidate) => candidate.name.toLowerCase() === person.name.toLowerCase(),
    );
    if (member) people[member.id] = person.role;
    else unknown.push(`${person.name} (${person.role})`);
  }
  let contextMarkdown = madr.contextMarkdown;
  if (unknown.length > 0) {
    warnings.push(`Not members of this workspace, kept in the context: ${unknown.join(', ')}.`);
    contextMarkdown += `\n\nPeople named in the imported record: ${unknown.join(', ')}.`;
  }
  let contextJson: JSONContent;
  try {
    contextJson = manager().parse(contextMarkdown.trim());
    contextSchema().nodeFromJSON(contextJson).check();
    const dropped = dropUnopenableLinks(contextJson);
    if (dropped > 0)
      warnings.push(
        `${dropped === 1 ? 'A link' : `${dropped} links`} to addresses Outpost does not open (only http, https and mailto) ${dropped === 1 ? 'is' : 'are'} kept as plain text.`,
      );
  } catch (error) {
    return fail(
      'invalid-madr',
      `${fileName}: the context could not be read as Markdown (${String(error)}).`,
    );
  }
  const optionIds = madr.options.map(() => newId());
  let result: Result<Decision> = fail('invalid-madr', `${fileName}: nothing was imported.`);
  doc.transact(() => {
    const created = decisions.create(doc, ctx, { title: madr.title });
    if (!created.ok) {
      result = created;
      return;
    }
    const id = created.value.id;
    const chosenIndex = madr.chosenOption
      ? madr.options.findIndex((o) => o.title === madr.chosenOption)
      : -1;
    const patched = decisions.update(doc, ctx, id, {
      proposal: madr.proposal.slice(0, 20_000),
      drivers: madr.drivers.join('\n').slice(0, 10_000),
      outcome: madr.outcome.slice(0, 20_000),
      reviewOn: madr.reviewOn,
      people,
      addTags: [...madr.tags],
    });
    if (!patched.ok) {
      decisions.purge(doc, ctx, id);
      result = fail('invalid-madr', `${fileName}: ${patched.error.message}`);
      return;
    }
    madr.options.forEach((option, index) => {
      decisions.update(doc, { ...ctx, now: () => now + index }, id, {
        addOption: {
          id: optionIds[index],
          title: option.title,
          pros: option.pros.join('\n').slice(0, 10_000),
          cons: option.cons.join('\n').slice(0, 10_000),
        },
      });
    });
    const record = decisions.map(doc, id)!;
    if (chosenIndex >= 0) record.set('proposedOptionId', optionIds[chosenIndex]);
    if (madr.status !== 'draft') {
      record.set('status', madr.status);
      const change: StatusChange = {
        id: newId(),
        from: null,
        to: madr.status,
        by: ctx.actor,
        at: madr.date ? Date.parse(madr.date) : now,
        supersededBy: null,
      };
      arrayOf(record, 'history').push([change]);
      if (madr.status !== 'proposed') record.set('closesAt', change.at);
    }
    const fragment = decisionContext(doc, id)!;
    prosemirrorJSONToYXmlFragment(contextSchema(), contextJson, fragment);
    const read = decisions.get(doc, id);
    result = read?.ok ? ok(read.value) : fail('damaged', `${fileName}: the import was unreadable.`);
  }, MODEL_ORIGIN);
  if (!result.ok) return result;
  return ok({ decision: result.value, warnings });
}
