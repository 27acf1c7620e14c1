/**
 * Something to do with a break, as Stretchly suggests one: a break screen that only counts down
 * invites reading mail on the phone instead. The idea is picked from the break's start time, so the
 * app window and every display's break window show the same one.
 */
import type { BreakKind } from './state';

const SHORT_BREAK_IDEAS: readonly string[] = [
  'Stand up, roll your shoulders back five times and let your arms hang loose.',
  'Look at something at least six metres away and let your eyes rest on it.',
  'Refill your water glass and drink half of it.',
  'Stretch your wrists: palms together in front of your chest, then slowly lower your hands.',
  'Close your eyes and take ten slow breaths, longer out than in.',
  'Walk to the window or the door and back, slowly.',
  'Turn your head gently to each side and hold it there for a few breaths.',
  'Stand on one leg for thirty seconds, then the other.',
];

const LONG_BREAK_IDEAS: readonly string[] = [
  'Go outside for a short walk, without your phone if you can.',
  'Make yourself a proper snack and eat it away from the screen.',
  'Do a few minutes of stretching: hamstrings, hips, back, neck.',
  'Tidy one small thing around you: the desk, the dishes, your bag.',
  'Call or message someone for a chat that has nothing to do with work.',
  'Lie down on the floor for five minutes and let your back flatten.',
];

/** The idea for the break of `kind` that started at `startedAt` (epoch ms). */
export function breakIdea(kind: BreakKind, startedAt: number): string {
  const ideas = kind === 'longBreak' ? LONG_BREAK_IDEAS : SHORT_BREAK_IDEAS;
  // Whole minutes, so a break and its restored copy (after a pause) keep their idea.
  const index = Math.abs(Math.floor(startedAt / 60_000)) % ideas.length;
  return ideas[index] ?? ideas[0] ?? '';
}
