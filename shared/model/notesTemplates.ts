/**
 * Note templates: Markdown that a new note starts from. Outpost ships the two writing rituals of
 * a team that replaces meetings with writing; people save their own from any note.
 */
import { z } from 'zod';
import { ID_PATTERN } from '../core/ids';

export interface NoteTemplate {
  readonly id: string;
  readonly name: string;
  /** Title of the new note; `{date}` becomes today's date (YYYY-MM-DD). */
  readonly title: string;
  readonly markdown: string;
  readonly builtIn: boolean;
}

export const BUILT_IN_TEMPLATES: readonly NoteTemplate[] = [
  {
    id: 'async-update',
    name: 'Async update',
    title: 'Update {date}',
    builtIn: true,
    markdown: `## What I did

- 

## What's next

- 

## Blockers

- None
`,
  },
  {
    id: 'meeting-free-proposal',
    name: 'Meeting-free proposal',
    title: 'Proposal: ',
    builtIn: true,
    markdown: `## Problem

What is wrong today, and who feels it?

## Proposal

What we should do, in a few sentences.

## Options considered

- **Option A** — pros / cons
- **Option B** — pros / cons

## Decision needed by

YYYY-MM-DD — reply in this note; silence means consent.

## Open questions

- [ ] Who needs to agree?
`,
  },
];

/** A template a person saved (stored on their device). */
export const SavedTemplate = z.object({
  id: z.string().regex(ID_PATTERN),
  name: z
    .string()
    .transform((value) => value.trim())
    .pipe(z.string().min(1, 'Give the template a name.').max(80, 'The name is too long.')),
  title: z.string().max(200),
  markdown: z.string().max(200_000, 'The note is too long for a template.'),
});
export type SavedTemplate = z.infer<typeof SavedTemplate>;

/** Reads saved templates from stored JSON, keeping every valid one. */
export function parseSavedTemplates(json: string | null): NoteTemplate[] {
  if (!json) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: NoteTemplate[] = [];
  for (const entry of raw) {
    const parsed = SavedTemplate.safeParse(entry);
    if (parsed.success) out.push({ ...parsed.data, builtIn: false });
  }
  return out;
}

/** The title a template gives a new note on `date` (YYYY-MM-DD). */
export function templateTitle(template: NoteTemplate, date: string): string {
  return template.title.replace(/\{date\}/g, date).trim();
}
