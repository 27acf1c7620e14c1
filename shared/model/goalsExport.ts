/**
 * Goals as files people can keep outside Outpost: one Markdown file per objective, and one CSV of
 * every check-in (RFC 4180, with spreadsheet formula injection defused, because comments come from
 * teammates' devices).
 */
import type { Goal, KeyResult, LinkRef } from '../schema/goal';
import {
  currentValue,
  healthOf,
  keyResultHealth,
  keyResultProgress,
  objectiveHealth,
  objectiveProgress,
  periodLabel,
  targetOf,
  type Health,
} from './goalsProgress';
import { oneLine } from '../core/text';

/** Names of things a goal refers to, looked up by the caller in the workspace. */
export interface ExportNames {
  member(id: string | null): string;
  goalTitle(id: string): string | undefined;
  linkTitle(ref: LinkRef): string | undefined;
}

const HEALTH_TEXT: Record<Health, string> = {
  'on-track': 'on track',
  'at-risk': 'at risk',
  'off-track': 'off track',
};

const KIND_TEXT: Record<KeyResult['kind'], string> = {
  number: 'number',
  percentage: 'percentage',
  currency: 'currency',
  boolean: 'yes/no',
  milestones: 'milestones',
};

function healthText(health: Health | null): string {
  return health ? HEALTH_TEXT[health] : 'no check-in yet';
}

/** A value with its unit as people read it: "12 km", "40 %", "EUR 1,200", "yes". */
export function formatMeasure(kr: KeyResult, value: number): string {
  if (kr.kind === 'boolean') return value >= 1 ? 'yes' : 'no';
  if (kr.kind === 'milestones') return `${value} of ${kr.milestones.length} milestones`;
  const number = Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  if (kr.kind === 'percentage') return `${number}%`;
  if (kr.kind === 'currency') return `${kr.unit} ${number}`;
  return kr.unit ? `${number} ${kr.unit}` : number;
}

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)}%`);
const iso = (time: number) => new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A file name for an objective's Markdown: its title in lower-case words, plus the id's start. */
export function markdownFileName(goal: Goal): string {
  const slug =
    goal.title
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'objective';
  return `${slug}-${goal.id.slice(0, 6)}.md`;
}

function yamlString(text: string): string {
  return JSON.stringify(text);
}

/** One objective as Markdown: front matter, description, key results with their check-ins. */
export function goalToMarkdown(goal: Goal, names: ExportNames): string {
  const lines: string[] = [
    '---',
    `id: ${goal.id}`,
    `title: ${yamlString(goal.title)}`,
    `owner: ${yamlString(names.member(goal.ownerId))}`,
    `period: ${yamlString(periodLabel(goal))}`,
    ...(goal.periodStart ? [`periodStart: ${goal.periodStart}`] : []),
    ...(goal.periodEnd ? [`periodEnd: ${goal.periodEnd}`] : []),
    `status: ${goal.status}`,
    ...(goal.parentId
      ? [`alignedUnder: ${yamlString(names.goalTitle(goal.parentId) ?? goal.parentId)}`]
      : []),
    `progress: ${percent(objectiveProgress(goal))}`,
    `health: ${healthText(objectiveHealth(goal))}`,
    `updated: ${iso(goal.updatedAt)}`,
    '---',
    '',
    `# ${oneLine(goal.title)}`,
    '',
  ];
  if (goal.description.trim()) lines.push(goal.description.trim(), '');
  const links = (refs: readonly LinkRef[]) =>
    refs.map(
      (ref) => `- ${ref.kind}: ${names.linkTitle(ref) ?? `(missing ${ref.kind} ${ref.id})`}`,
    );
  if (goal.links.length > 0) lines.push('## Links', '', ...links(goal.links), '');
  lines.push('## Key results', '');
  const live = goal.keyResults.filter((kr) => kr.deletedAt === null);
  if (live.length === 0) lines.push('No key results yet.', '');
  for (const kr of live) {
    lines.push(
      `### ${oneLine(kr.title)}`,
      '',
      `- Kind: ${KIND_TEXT[kr.kind]}${kr.weight !== 1 ? `, weight ${kr.weight}` : ''}`,
      `- Start ${formatMeasure(kr, kr.start)} → target ${formatMeasure(kr, targetOf(kr))}; now ${formatMeasure(kr, currentValue(kr))}`,
      `- Progress: ${percent(keyResultProgress(kr))}; health: ${healthText(keyResultHealth(kr))}`,
    );
    if (kr.kind === 'milestones')
      for (const milestone of kr.milestones)
        lines.push(`  - [${milestone.done ? 'x' : ' '}] ${oneLine(milestone.title)}`);
    lines.push(...links(kr.links), '');
    if (kr.checkIns.length > 0) {
      lines.push(
        '| Time | Author | Value | Confidence | Comment |',
        '| --- | --- | --- | --- | --- |',
      );
      for (const checkIn of kr.checkIns)
        lines.push(
          `| ${iso(checkIn.at)} | ${cell(names.member(checkIn.authorId))} | ${cell(formatMeasure(kr, checkIn.value))} | ${checkIn.confidence}/10 | ${cell(checkIn.comment)} |`,
        );
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Escapes text for a Markdown table cell. */
function cell(text: string): string {
  return oneLine(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|');
}

/** Quotes a CSV field, and defuses text a spreadsheet would run as a formula. */
function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const CHECK_IN_CSV_HEADER = [
  'objective',
  'objective_id',
  'key_result',
  'key_result_id',
  'kind',
  'unit',
  'start',
  'target',
  'time',
  'author',
  'value',
  'progress_percent',
  'confidence',
  'health',
  'comment',
] as const;

/** Every check-in of the given goals, one row each, oldest first within each key result. */
export function checkInsToCsv(goals: readonly Goal[], names: ExportNames): string {
  const rows: string[] = [CHECK_IN_CSV_HEADER.join(',')];
  for (const goal of goals) {
    for (const kr of goal.keyResults) {
      for (const checkIn of kr.checkIns) {
        const span = targetOf(kr) - kr.start;
        const progress =
          span === 0
            ? ''
            : Math.round(Math.min(1, Math.max(0, (checkIn.value - kr.start) / span)) * 1000) / 10;
        rows.push(
          [
            csvField(goal.title),
            csvField(goal.id),
            csvField(kr.title + (kr.deletedAt !== null ? ' (deleted)' : '')),
            csvField(kr.id),
            csvField(kr.kind),
            csvField(kr.unit),
            csvField(kr.start),
            csvField(targetOf(kr)),
            csvField(iso(checkIn.at)),
            csvField(names.member(checkIn.authorId)),
            csvField(checkIn.value),
            progress === '' ? '' : csvField(progress),
            csvField(checkIn.confidence),
            csvField(healthText(healthOf(checkIn.confidence))),
            csvField(checkIn.comment),
          ].join(','),
        );
      }
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}
