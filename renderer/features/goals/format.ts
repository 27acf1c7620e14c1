/** How goal numbers read on screen: percentages, values with units, health in words, dates. */
import { formatForPerson } from '../../components/personTime';
import { formatMeasure, type Health } from '../../../shared/model';
import type { Goal, KeyResult } from '../../../shared/schema/records';

export const HEALTH_LABEL: Record<Health, string> = {
  'on-track': 'On track',
  'at-risk': 'At risk',
  'off-track': 'Off track',
};

export const KIND_LABEL: Record<KeyResult['kind'], string> = {
  number: 'Number',
  percentage: 'Percentage',
  currency: 'Currency',
  boolean: 'Yes / no',
  milestones: 'Milestones',
};

export function percentText(progress: number | null): string {
  return progress === null ? '—' : `${Math.round(progress * 100)}%`;
}

/** A value with its unit; currencies use the platform's currency formatting when it knows the code. */
export function valueText(kr: KeyResult, value: number): string {
  if (kr.kind === 'currency') {
    try {
      return new Intl.NumberFormat(undefined, { style: 'currency', currency: kr.unit }).format(
        value,
      );
    } catch {
      return formatMeasure(kr, value);
    }
  }
  return formatMeasure(kr, value);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Today's local date as `YYYY-MM-DD`. */
export function todayKey(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The last millisecond of the goal's period end date, on this computer's clock; null if open. */
/** The first instant (local midnight) of the goal's period, or null without a start date. */
export function periodStartsAt(goal: Pick<Goal, 'periodStart'>): number | null {
  if (!goal.periodStart) return null;
  const [year, month, day] = goal.periodStart.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day).getTime();
}

export function periodEndsAt(goal: Pick<Goal, 'periodEnd'>): number | null {
  if (!goal.periodEnd) return null;
  const [year, month, day] = goal.periodEnd.split('-').map(Number) as [number, number, number];
  return new Date(year, month - 1, day + 1).getTime() - 1;
}

/**
 * Parses a number as people type it: "12", "-3.5", "3,5"; empty gives undefined (the model says
 * what is missing) and anything else NaN (the model says it is not a number). Never guesses.
 */
export function parseNumber(text: string): number | undefined {
  const compact = text.trim().replace(/[\s_]/g, '');
  if (compact === '') return undefined;
  if (!/^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/.test(compact)) return Number.NaN;
  return Number(compact.replace(',', '.'));
}

// In the person's profile time zone, like every time the app shows.
export const formatWhen = (time: number) =>
  formatForPerson(time, { dateStyle: 'medium', timeStyle: 'short' });
export const formatShortDate = (time: number) =>
  formatForPerson(time, { month: 'short', day: 'numeric' });
export const formatShortTime = (time: number) =>
  formatForPerson(time, { hour: '2-digit', minute: '2-digit' });
export const formatClock = (time: number) => formatForPerson(time, { timeStyle: 'medium' });
