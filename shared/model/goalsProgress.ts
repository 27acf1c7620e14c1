/**
 * Progress, health and scores derived from validated goals. Pure functions of the data, so every
 * replica that holds the same goals shows the same numbers (docs/PROTOCOL.md §1.5):
 * - a key result's current value is its latest check-in's (by time, then id), or its start value;
 *   a milestone key result's is the number of milestones done;
 * - progress is (current − start) / (target − start), clamped to 0…1, so targets may go down;
 * - an objective's progress is the weighted mean of its live key results' progress; an objective
 *   without key results rolls up the mean of its aligned sub-objectives;
 * - health comes from the latest confidence: 7–10 on track, 4–6 at risk, 1–3 off track; an
 *   objective's health is the worst of its key results' and of its active sub-objectives';
 * - the end-of-period score is the objective's progress as of the end of its period (0.0–1.0).
 */
import type { CheckIn, Goal, KeyResult } from '../schema/goal';

export type Health = 'on-track' | 'at-risk' | 'off-track';

const HEALTH_RANK: Record<Health, number> = { 'on-track': 0, 'at-risk': 1, 'off-track': 2 };

/** Health from a confidence of 1–10. */
export function healthOf(confidence: number): Health {
  if (confidence >= 7) return 'on-track';
  if (confidence >= 4) return 'at-risk';
  return 'off-track';
}

export function latestCheckIn(kr: KeyResult, until = Number.POSITIVE_INFINITY): CheckIn | null {
  let latest: CheckIn | null = null;
  for (const checkIn of kr.checkIns) {
    if (checkIn.at > until) continue;
    if (!latest || checkIn.at > latest.at || (checkIn.at === latest.at && checkIn.id > latest.id))
      latest = checkIn;
  }
  return latest;
}

/** The key result's value now, or as of the instant `until`. */
export function currentValue(kr: KeyResult, until = Number.POSITIVE_INFINITY): number {
  if (kr.kind === 'milestones' && until === Number.POSITIVE_INFINITY)
    return kr.milestones.filter((m) => m.done).length;
  return latestCheckIn(kr, until)?.value ?? kr.start;
}

/** The target a key result aims for; a milestone key result aims for all its milestones. */
export function targetOf(kr: KeyResult): number {
  return kr.kind === 'milestones' ? kr.milestones.length : kr.target;
}

/**
 * Progress 0…1 of a key result at a value, or null when it cannot be measured (target equal to
 * start after a concurrent edit, or a milestone key result without milestones).
 */
export function progressAt(kr: KeyResult, value: number): number | null {
  const target = targetOf(kr);
  const span = target - kr.start;
  if (span === 0) return null;
  return Math.min(1, Math.max(0, (value - kr.start) / span));
}

export function keyResultProgress(kr: KeyResult, until?: number): number | null {
  return progressAt(kr, currentValue(kr, until));
}

export function keyResultHealth(kr: KeyResult): Health | null {
  const latest = latestCheckIn(kr);
  return latest ? healthOf(latest.confidence) : null;
}

export const liveKeyResults = (goal: Goal): KeyResult[] =>
  goal.keyResults.filter((kr) => kr.deletedAt === null);

/** Weighted mean progress of an objective's live key results (as of `until`), or null. */
export function objectiveProgress(goal: Goal, until?: number): number | null {
  let weighted = 0;
  let weights = 0;
  for (const kr of liveKeyResults(goal)) {
    const progress = keyResultProgress(kr, until);
    if (progress === null) continue;
    weighted += progress * kr.weight;
    weights += kr.weight;
  }
  return weights === 0 ? null : weighted / weights;
}

/** The worst health among an objective's live key results, or null before any check-in. */
export function objectiveHealth(goal: Goal): Health | null {
  let worst: Health | null = null;
  for (const kr of liveKeyResults(goal)) {
    const health = keyResultHealth(kr);
    if (health && (worst === null || HEALTH_RANK[health] > HEALTH_RANK[worst])) worst = health;
  }
  return worst;
}

export interface GoalTreeNode {
  readonly goal: Goal;
  readonly children: readonly GoalTreeNode[];
  /** Own key results' progress, or else the mean of the sub-objectives' rolled-up progress. */
  readonly progress: number | null;
  /** True when the progress comes from sub-objectives. */
  readonly rolledUp: boolean;
  /**
   * The worst of its own key results' health and its active sub-objectives' (rolled up in turn):
   * a parent is no healthier than the part of it that is off track. Achieved and abandoned
   * sub-objectives no longer pull it down.
   */
  readonly health: Health | null;
  /** True when a sub-objective makes the health worse than the goal's own key results do. */
  readonly healthRolledUp: boolean;
}

function worse(a: Health | null, b: Health | null): Health | null {
  if (a === null) return b;
  if (b === null) return a;
  return HEALTH_RANK[b] > HEALTH_RANK[a] ? b : a;
}

/**
 * The alignment tree of `goals`. A goal whose parent is missing (not in `goals`) or whose parent
 * chain loops (two concurrent, individually valid alignments) is shown at the top level, so the
 * tree is always finite and every goal appears exactly once.
 */
export function buildGoalTree(goals: readonly Goal[]): GoalTreeNode[] {
  const byId = new Map(goals.map((goal) => [goal.id, goal]));
  const parentOf = (goal: Goal): string | null => {
    if (!goal.parentId || !byId.has(goal.parentId)) return null;
    // Walk up; if the walk comes back to this goal, the chain is a cycle: treat it as top-level.
    const seen = new Set<string>([goal.id]);
    let current: string | null = goal.parentId;
    while (current !== null) {
      if (seen.has(current)) return null;
      seen.add(current);
      const next: Goal | undefined = byId.get(current);
      current = next?.parentId && byId.has(next.parentId) ? next.parentId : null;
    }
    return goal.parentId;
  };
  const childrenOf = new Map<string | null, Goal[]>();
  for (const goal of goals) {
    const parent = parentOf(goal);
    const list = childrenOf.get(parent) ?? [];
    list.push(goal);
    childrenOf.set(parent, list);
  }
  const build = (goal: Goal): GoalTreeNode => {
    const children = (childrenOf.get(goal.id) ?? []).map(build);
    const ownHealth = objectiveHealth(goal);
    const health = children
      .filter((child) => child.goal.status === 'active')
      .reduce<Health | null>((worst, child) => worse(worst, child.health), ownHealth);
    const healthPart = { health, healthRolledUp: health !== ownHealth };
    const own = objectiveProgress(goal);
    if (own !== null || liveKeyResults(goal).length > 0)
      return { goal, children, progress: own, rolledUp: false, ...healthPart };
    const measured = children.map((child) => child.progress).filter((p): p is number => p !== null);
    const progress =
      measured.length === 0 ? null : measured.reduce((sum, p) => sum + p, 0) / measured.length;
    return { goal, children, progress, rolledUp: progress !== null, ...healthPart };
  };
  return (childrenOf.get(null) ?? []).map(build);
}

/** One point of the progress chart: time, the objective's progress and each key result's (0–100). */
export interface ProgressPoint {
  readonly at: number;
  readonly objective: number | null;
  readonly [keyResultId: string]: number | null;
}

/**
 * Progress over time: one point when the objective was created (everything at its start value)
 * and one after each check-in of a live key result, in time order.
 */
export function progressSeries(goal: Goal): ProgressPoint[] {
  const live = liveKeyResults(goal);
  const times = new Set<number>([goal.createdAt]);
  for (const kr of live) for (const checkIn of kr.checkIns) times.add(checkIn.at);
  const percent = (value: number | null) => (value === null ? null : Math.round(value * 1000) / 10);
  return [...times]
    .sort((a, b) => a - b)
    .map((at) => {
      const point: Record<string, number | null> = {
        at,
        objective: percent(objectiveAt(live, at)),
      };
      for (const kr of live) point[kr.id] = percent(progressAt(kr, currentValue(kr, at)));
      return point as ProgressPoint;
    });
}

function objectiveAt(live: readonly KeyResult[], at: number): number | null {
  let weighted = 0;
  let weights = 0;
  for (const kr of live) {
    const progress = progressAt(kr, currentValue(kr, at));
    if (progress === null) continue;
    weighted += progress * kr.weight;
    weights += kr.weight;
  }
  return weights === 0 ? null : weighted / weights;
}

/** A progress point with the pace expected by then (0–100): a straight line over the period. */
export type PacePoint = ProgressPoint & { readonly expected: number | null };

/**
 * The progress series with an expected-pace line: 0% when the period starts, 100% when it ends,
 * straight in between, clamped outside. The period's first and last instants are added as points
 * (their progress values null, so the lines carry on from real check-ins). Without both ends of
 * a period, or with an end before the start, there is no pace: `expected` is null throughout.
 */
export function paceSeries(
  goal: Goal,
  startsAt: number | null,
  endsAt: number | null,
): PacePoint[] {
  const points: ProgressPoint[] = progressSeries(goal);
  const period = startsAt !== null && endsAt !== null && endsAt > startsAt;
  if (period) {
    const times = new Set(points.map((point) => point.at));
    for (const at of [startsAt, endsAt])
      if (!times.has(at)) points.push({ at, objective: null } as ProgressPoint);
    points.sort((a, b) => a.at - b.at);
  }
  return points.map((point) => ({
    ...point,
    expected: period
      ? Math.round(Math.min(1, Math.max(0, (point.at - startsAt) / (endsAt - startsAt))) * 1000) /
        10
      : null,
  }));
}

/**
 * The end-of-period score (0.0–1.0, one decimal as OKR scores are read): the objective's progress
 * from the check-ins made up to `periodEndsAt`. Null when nothing can be measured.
 */
export function periodScore(goal: Goal, periodEndsAt: number): number | null {
  const progress = objectiveAt(liveKeyResults(goal), periodEndsAt);
  return progress === null ? null : Math.round(progress * 10) / 10;
}

export interface Quarter {
  readonly year: number;
  readonly quarter: 1 | 2 | 3 | 4;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The first and last day (`YYYY-MM-DD`) of a calendar quarter. */
export function quarterRange({ year, quarter }: Quarter): { start: string; end: string } {
  const firstMonth = (quarter - 1) * 3 + 1;
  const lastMonth = firstMonth + 2;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  return {
    start: `${year}-${pad(firstMonth)}-01`,
    end: `${year}-${pad(lastMonth)}-${pad(lastDay)}`,
  };
}

/** The quarter a period is exactly, or null for custom dates. */
export function quarterOf(start: string | null, end: string | null): Quarter | null {
  if (!start || !end) return null;
  const year = Number(start.slice(0, 4));
  for (const quarter of [1, 2, 3, 4] as const) {
    const range = quarterRange({ year, quarter });
    if (range.start === start && range.end === end) return { year, quarter };
  }
  return null;
}

/** "Q3 2026", "2026-01-05 – 2026-02-20", "from 2026-01-05", "until …", or "No period". */
export function periodLabel(goal: Pick<Goal, 'periodStart' | 'periodEnd'>): string {
  const quarter = quarterOf(goal.periodStart, goal.periodEnd);
  if (quarter) return `Q${quarter.quarter} ${quarter.year}`;
  if (goal.periodStart && goal.periodEnd) return `${goal.periodStart} – ${goal.periodEnd}`;
  if (goal.periodStart) return `from ${goal.periodStart}`;
  if (goal.periodEnd) return `until ${goal.periodEnd}`;
  return 'No period';
}

/** True when `today` (`YYYY-MM-DD`) lies within the goal's period (open ends count as open). */
export function periodContains(
  goal: Pick<Goal, 'periodStart' | 'periodEnd'>,
  today: string,
): boolean {
  if (!goal.periodStart && !goal.periodEnd) return false;
  return (
    (!goal.periodStart || goal.periodStart <= today) && (!goal.periodEnd || today <= goal.periodEnd)
  );
}

/**
 * The objectives and key results that link to a note or decision (for backlinks on those
 * records); deleted goals and deleted key results are left out.
 */
export function goalsLinkingTo(
  goals: readonly Goal[],
  target: { readonly kind: 'note' | 'decision'; readonly id: string },
): {
  goalId: string;
  goalTitle: string;
  keyResultId: string | null;
  keyResultTitle: string | null;
}[] {
  const hits: ReturnType<typeof goalsLinkingTo> = [];
  const matches = (links: Goal['links']) =>
    links.some((link) => link.kind === target.kind && link.id === target.id);
  for (const goal of goals) {
    if (goal.deletedAt !== null) continue;
    if (matches(goal.links))
      hits.push({
        goalId: goal.id,
        goalTitle: goal.title,
        keyResultId: null,
        keyResultTitle: null,
      });
    for (const kr of liveKeyResults(goal))
      if (matches(kr.links))
        hits.push({
          goalId: goal.id,
          goalTitle: goal.title,
          keyResultId: kr.id,
          keyResultTitle: kr.title,
        });
  }
  return hits;
}
