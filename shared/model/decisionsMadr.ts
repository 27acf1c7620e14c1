/**
 * MADR (Markdown Any Decision Record, https://adr.github.io/madr/) export and import: one Markdown
 * file per decision with YAML-style front matter (status, date, deciders, consulted, informed) and
 * the MADR sections. The file is read by decisionsMadrParse.ts; the rich-text context goes through
 * decisionsMadrContext.ts, the Markdown pipeline notes use. Import validates first and writes
 * nothing unless the whole file is usable.
 */
import type * as Y from 'yjs';
import { decisions, decisionContext, arrayOf } from './decisions';
import {
  contextFromMarkdown,
  contextToMarkdown,
  writeContext,
  type ContextFromMarkdown,
} from './decisionsMadrContext';
import { parseMadr } from './decisionsMadrParse';
import { tallyVotes } from './decisionsVotes';
import { verifiedPollTally, verifiedTally } from './signedTally';
import { signEntry, withSignature, type Trust } from './signatures';
import { statusFields } from './signedFields';
import { tallyPoll } from './decisionsPolls';
import { newId } from '../core/ids';
import { MODEL_ORIGIN } from './roots';
import { madrSource, SOURCE_FIELD } from './importSources';
import type { ModelContext } from './collection';
import { fail, ok, type Result } from '../result';
import type { Decision, DecisionRole, Member, StatusChange } from '../schema/records';
import { SCORE_MAX } from '../schema/records';

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
  /**
   * The workspace's member devices: with it the Votes section counts only verified casts (§8.4)
   * and says how many were not counted, as the app shows them.
   */
  trust?: Trust,
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
  const context = fragment ? contextToMarkdown(fragment) : '';
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
  const notCounted = (count: number) =>
    count > 0 ? [`${count} more not counted: unsigned, or signatures that do not verify.`, ''] : [];
  if (decision.pollType !== 'consent' && decision.ballots.length > 0) {
    const verifiedPoll = trust ? verifiedPollTally(trust, decision) : null;
    const poll = verifiedPoll?.tally ?? tallyPoll(decision);
    out.push('## Votes', '');
    out.push(
      decision.pollType === 'choose'
        ? `Choose one option; ${poll.voted} voted.`
        : `Scores from 0 to ${SCORE_MAX}; ${poll.voted} voted.`,
      '',
    );
    for (const result of poll.results)
      out.push(
        decision.pollType === 'choose'
          ? `* ${result.option.title}: ${result.total}`
          : `* ${result.option.title}: ${result.total} points (average ${result.average.toFixed(1)} from ${result.scoredBy})`,
      );
    out.push('', ...notCounted(verifiedPoll?.setAside.length ?? 0));
  } else if (decision.votes.length > 0) {
    const verified = trust ? verifiedTally(trust, decision) : null;
    const tally = verified?.tally ?? tallyVotes(decision.votes, decision.closesAt);
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
    out.push('', ...notCounted(verified?.setAside.length ?? 0));
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

/**
 * Imports one MADR file as a new decision in one transaction. People are matched to members by
 * name; names that match nobody are kept in the context. Returns the decision and warnings.
 * With `updateId`, the file updates that decision (imported before from the same file) instead:
 * its text, tags, people and context become the file's; options are matched by title (pros and
 * cons updated, new ones added, none removed, since votes refer to them); status and votes stay.
 */
export function importMadr(
  doc: Y.Doc,
  ctx: ModelContext,
  text: string,
  fileName: string,
  members: readonly Member[],
  updateId?: string,
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
  let contextJson: ContextFromMarkdown['json'];
  try {
    const read = contextFromMarkdown(contextMarkdown.trim());
    contextJson = read.json;
    const dropped = read.unopenableLinks;
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
  let result: Result<Decision> = fail('invalid-madr', `${fileName}: nothing was imported.`);
  const existing = updateId ? decisions.get(doc, updateId) : undefined;
  if (updateId && !existing?.ok)
    return fail(
      'not-found',
      `${fileName}: the decision imported from it before is gone or damaged.`,
    );
  doc.transact(() => {
    if (existing?.ok) {
      result = updateFromMadr(doc, ctx, existing.value, madr, people, warnings);
      if (!result.ok) return;
    } else {
      const created = createFromMadr(doc, ctx, madr, people, fileName, now);
      if (!created.ok) {
        result = created;
        return;
      }
      result = created;
    }
    const id = result.value.id;
    const fragment = decisionContext(doc, id)!;
    fragment.delete(0, fragment.length);
    writeContext(contextJson, fragment);
    const read = decisions.get(doc, id);
    result = read?.ok ? ok(read.value) : fail('damaged', `${fileName}: the import was unreadable.`);
  }, MODEL_ORIGIN);
  if (!result.ok) return result;
  return ok({ decision: result.value, warnings });
}

type Madr = Extract<ReturnType<typeof parseMadr>, { ok: true }>['value'];

/** The decision fields a MADR file sets, cut to the fields' limits. */
function madrFields(madr: Madr, people: Record<string, DecisionRole>) {
  return {
    proposal: madr.proposal.slice(0, 20_000),
    drivers: madr.drivers.join('\n').slice(0, 10_000),
    outcome: madr.outcome.slice(0, 20_000),
    reviewOn: madr.reviewOn,
    people,
    addTags: [...madr.tags],
  };
}

/** A new decision from a MADR file (inside the caller's transaction), remembering the file. */
function createFromMadr(
  doc: Y.Doc,
  ctx: ModelContext,
  madr: Madr,
  people: Record<string, DecisionRole>,
  fileName: string,
  now: number,
): Result<Decision> {
  const created = decisions.create(doc, ctx, { title: madr.title });
  if (!created.ok) return created;
  const id = created.value.id;
  const optionIds = madr.options.map(() => newId());
  const chosenIndex = madr.chosenOption
    ? madr.options.findIndex((o) => o.title === madr.chosenOption)
    : -1;
  const patched = decisions.update(doc, ctx, id, madrFields(madr, people));
  if (!patched.ok) {
    decisions.purge(doc, ctx, id);
    return fail('invalid-madr', `${fileName}: ${patched.error.message}`);
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
  record.set(SOURCE_FIELD, madrSource(fileName));
  if (chosenIndex >= 0) record.set('proposedOptionId', optionIds[chosenIndex]);
  if (madr.status !== 'draft') {
    record.set('status', madr.status);
    const unsigned: StatusChange = {
      id: newId(),
      from: null,
      to: madr.status,
      by: ctx.actor,
      at: madr.date ? Date.parse(madr.date) : now,
      supersededBy: null,
    };
    // The person importing vouches for the import: their device signs it as their change.
    const change = withSignature(
      unsigned,
      signEntry(ctx, 'status', ctx.actor, statusFields(id, unsigned)),
    );
    arrayOf(record, 'history').push([change]);
    if (madr.status !== 'proposed') record.set('closesAt', change.at);
  }
  return created;
}

/** Updates a decision imported before from the same MADR file (inside the caller's transaction). */
function updateFromMadr(
  doc: Y.Doc,
  ctx: ModelContext,
  decision: Decision,
  madr: Madr,
  people: Record<string, DecisionRole>,
  warnings: string[],
): Result<Decision> {
  const patched = decisions.update(doc, ctx, decision.id, {
    ...madrFields(madr, people),
    title: madr.title,
    removeTags: decision.tags.filter((tag) => !madr.tags.includes(tag)),
  });
  if (!patched.ok) return patched;
  for (const option of madr.options) {
    const pros = option.pros.join('\n').slice(0, 10_000);
    const cons = option.cons.join('\n').slice(0, 10_000);
    const known = decision.options.find((item) => item.title === option.title);
    const written = decisions.update(
      doc,
      ctx,
      decision.id,
      known
        ? { updateOption: { id: known.id, pros, cons } }
        : { addOption: { title: option.title, pros, cons } },
    );
    if (!written.ok) return written;
  }
  const gone = decision.options.filter(
    (item) => !madr.options.some((option) => option.title === item.title),
  );
  if (gone.length > 0)
    warnings.push(
      `Options no longer in the file are kept, as votes may refer to them: ${gone.map((item) => item.title).join(', ')}.`,
    );
  if (madr.status !== decision.status)
    warnings.push(
      `The file says “${madr.status}”; the decision stays “${decision.status}” (status changes go through votes and the decision’s own buttons).`,
    );
  return patched;
}
