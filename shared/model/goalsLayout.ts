/**
 * Where the parts of a goal live inside its record map, and how they are read back. Key results
 * and links are stored under prefixed keys of the goal's own Y.Map (not in a nested container),
 * so two replicas adding the first key result of a goal can never overwrite each other's
 * container. Inside a key result, check-ins, milestones and links are nested Y.Maps created with
 * the key result, keyed by random ids, so concurrent appends all survive. See docs/PROTOCOL.md §1.5.
 */
import * as Y from 'yjs';
import {
  CheckIn,
  KeyResult,
  LinkRef,
  Milestone,
  type DamagedPart,
  type LinkKind,
} from '../schema/goal';
import { describeIssues, previewValue } from './damage';
import { readBounded } from './bounded';

/** Prefix of a goal map key holding a key result (`kr:<id>` → Y.Map). */
export const KEY_RESULT_PREFIX = 'kr:';
/** Prefix of a goal or key result link key (`link:<kind>:<id>` → true). */
export const LINK_PREFIX = 'link:';
export const CHECK_INS_KEY = 'checkIns';
export const MILESTONES_KEY = 'milestones';
export const LINKS_KEY = 'links';

/** The fields of a key result map that are plain values. */
export const KEY_RESULT_FIELDS = [
  'title',
  'kind',
  'start',
  'target',
  'unit',
  'weight',
  'order',
  'createdAt',
  'createdBy',
  'deletedAt',
] as const;

export function linkKey(kind: LinkKind, id: string): string {
  return `${LINK_PREFIX}${kind}:${id}`;
}

export interface GoalParts {
  readonly keyResults: KeyResult[];
  readonly links: LinkRef[];
  readonly damagedParts: DamagedPart[];
}

/** Reads `link:<kind>:<id>` keys of a map into link references; bad ones are reported. */
function readLinks(
  map: Y.Map<unknown>,
  keyResultId: string | null,
  damaged: DamagedPart[],
): LinkRef[] {
  const links: LinkRef[] = [];
  map.forEach((value, key) => {
    // A goal map holds fields too; a key result's `links` map holds nothing but links.
    if (!key.startsWith(LINK_PREFIX) && keyResultId === null) return;
    const rest = key.slice(LINK_PREFIX.length);
    const colon = rest.indexOf(':');
    const parsed = LinkRef.safeParse({ kind: rest.slice(0, colon), id: rest.slice(colon + 1) });
    if (parsed.success && value === true) links.push(parsed.data);
    else
      damaged.push({
        part: 'link',
        id: key,
        keyResultId,
        problems: parsed.success ? ['link value is not true'] : describeIssues(parsed.error),
        preview: previewValue(value),
      });
  });
  return links.sort((a, b) => a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
}

function readKeyResult(id: string, value: unknown, damaged: DamagedPart[]): KeyResult | null {
  const fail = (found: string[], shown: unknown) => {
    damaged.push({
      part: 'key result',
      id,
      keyResultId: null,
      problems: found,
      preview: previewValue(shown),
    });
    return null;
  };
  if (!(value instanceof Y.Map)) return fail(['key result is not a map'], value);
  const checkInMap = value.get(CHECK_INS_KEY);
  const milestoneMap = value.get(MILESTONES_KEY);
  const linkMap = value.get(LINKS_KEY);
  const containers: string[] = [];
  if (!(checkInMap instanceof Y.Map)) containers.push('checkIns: not a map');
  if (!(milestoneMap instanceof Y.Map)) containers.push('milestones: not a map');
  if (!(linkMap instanceof Y.Map)) containers.push('links: not a map');
  if (containers.length > 0) return fail(containers, value);
  const checkInMapOk = checkInMap as Y.Map<unknown>;
  const milestoneMapOk = milestoneMap as Y.Map<unknown>;

  const checkIns: CheckIn[] = [];
  checkInMapOk.forEach((entry, checkInId) => {
    // A check-in is a plain JSON object (a Y type there is damage, and fails the schema as it is);
    // it is read through the bounded reader, as a peer wrote it.
    const read =
      entry instanceof Y.AbstractType ? { ok: true as const, value: entry } : readBounded(entry);
    let problems: string[];
    if (read.ok) {
      const { value } = read;
      const plain =
        typeof value === 'object' && value !== null && !(value instanceof Y.AbstractType)
          ? { ...value, id: checkInId }
          : value;
      const parsed = CheckIn.safeParse(plain);
      if (parsed.success) {
        checkIns.push(parsed.data);
        return;
      }
      problems = describeIssues(parsed.error);
    } else problems = [read.problem];
    damaged.push({
      part: 'check-in',
      id: checkInId,
      keyResultId: id,
      problems,
      preview: previewValue(entry),
    });
  });
  checkIns.sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));

  const milestones: Milestone[] = [];
  milestoneMapOk.forEach((entry, milestoneId) => {
    const read = entry instanceof Y.Map ? readBounded(entry) : { ok: true as const, value: null };
    let problems: string[];
    if (read.ok) {
      const plain =
        entry instanceof Y.Map
          ? { id: milestoneId, ...(read.value as object) }
          : { id: milestoneId, entry };
      const parsed = Milestone.safeParse(plain);
      if (parsed.success) {
        milestones.push(parsed.data);
        return;
      }
      problems = describeIssues(parsed.error);
    } else problems = [read.problem];
    damaged.push({
      part: 'milestone',
      id: milestoneId,
      keyResultId: id,
      problems,
      preview: previewValue(entry),
    });
  });
  milestones.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));

  const plain: Record<string, unknown> = { id };
  for (const field of KEY_RESULT_FIELDS) plain[field] = value.get(field);
  plain.checkIns = checkIns;
  plain.milestones = milestones;
  plain.links = readLinks(linkMap as Y.Map<unknown>, id, damaged);
  const parsed = KeyResult.safeParse(plain);
  if (!parsed.success) return fail(describeIssues(parsed.error), plain);
  return parsed.data;
}

/**
 * Reads the key results and links of a goal record. A damaged key result, check-in, milestone or
 * link is reported in `damagedParts` and the rest of the goal stays readable.
 */
export function readGoalParts(record: Y.Map<unknown>): GoalParts {
  const keyResults: KeyResult[] = [];
  const damagedParts: DamagedPart[] = [];
  record.forEach((value, key) => {
    if (!key.startsWith(KEY_RESULT_PREFIX)) return;
    const keyResult = readKeyResult(key.slice(KEY_RESULT_PREFIX.length), value, damagedParts);
    if (keyResult) keyResults.push(keyResult);
  });
  keyResults.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  const links = readLinks(record, null, damagedParts);
  damagedParts.sort((a, b) => a.part.localeCompare(b.part) || a.id.localeCompare(b.id));
  return { keyResults, links, damagedParts };
}
