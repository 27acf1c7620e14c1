/**
 * Test helpers for the focus engine: config built from partial settings, and a fake main process
 * that calls `advance` exactly at each `nextEventAt` (plain numbers, no real timers).
 */
import {
  advance,
  parseFocusConfig,
  type FocusConfig,
  type FocusEvent,
  type FocusState,
  type FocusTransition,
  type SessionRecord,
} from '../../../shared/focus';
import type { Result } from '../../../shared/result';

export const MIN = 60_000;
export const HOUR = 60 * MIN;

/** A validated config; throws with the readable message when the settings are refused. */
export function makeConfig(settings: Record<string, unknown> = {}): FocusConfig {
  const parsed = parseFocusConfig({ timeZone: 'Europe/Berlin', ...settings });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

/** Unwraps an action result, failing the test with its message. */
export function must(result: Result<FocusTransition>): FocusTransition {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

export interface Run {
  state: FocusState;
  events: FocusEvent[];
  records: SessionRecord[];
  now: number;
}

/** Starts a run from an action's transition, keeping its events and records. */
export function runFrom(transition: FocusTransition, now: number): Run {
  return {
    state: transition.state,
    events: [...transition.events],
    records: [...transition.records],
    now,
  };
}

/** Applies a transition to a run (an action or an advance). */
export function apply(run: Run, transition: FocusTransition, now: number): FocusTransition {
  run.state = transition.state;
  run.events.push(...transition.events);
  run.records.push(...transition.records);
  run.now = now;
  return transition;
}

/** Plays the part of the main process: wakes up exactly at every `nextEventAt` until `until`. */
export function runUntil(config: FocusConfig, run: Run, until: number): void {
  for (let guard = 0; guard < 10_000; guard++) {
    const next = advance(config, run.state, run.now).nextEventAt;
    if (next === null || next > until) break;
    apply(run, advance(config, run.state, next), next);
  }
  apply(run, advance(config, run.state, until), until);
}
