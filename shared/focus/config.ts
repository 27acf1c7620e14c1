/**
 * Focus timer settings: one zod schema with the defaults, and a parser that refuses impossible
 * settings with one readable message per field (so the settings form can show each next to its
 * input) instead of letting the engine run with nonsense.
 */
import { z } from 'zod';
import type { Failure } from '../result';
import { DAY_NAMES, WEEKDAYS, clockToMinutes } from '../time/calendar';
import { isKnownTimeZone } from '../time/zonedTime';

const CLOCK = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

const clockTime = z
  .string({ error: 'Use a 24-hour time like 09:00.' })
  .regex(CLOCK, 'Use a 24-hour time like 09:00 (24:00 means the end of the day).');

const TimeRange = z.object({ start: clockTime, end: clockTime }).strict();
export type TimeRange = z.infer<typeof TimeRange>;

const dayRanges = z
  .array(TimeRange, { error: 'List the working time ranges of this day.' })
  .default([]);

const WorkingHoursSchema = z
  .object({
    mon: dayRanges,
    tue: dayRanges,
    wed: dayRanges,
    thu: dayRanges,
    fri: dayRanges,
    sat: dayRanges,
    sun: dayRanges,
  })
  .strict()
  .superRefine((hours, ctx) => {
    let workingDays = 0;
    for (const day of WEEKDAYS) {
      const ranges = hours[day].map((range, index) => ({
        index,
        range,
        start: clockToMinutes(range.start),
        end: clockToMinutes(range.end),
      }));
      for (const { index, range, start, end } of ranges) {
        if (end <= start) {
          ctx.addIssue({
            code: 'custom',
            path: [day, index, 'end'],
            message: `${DAY_NAMES[day]}'s working hours ${range.start}–${range.end} end before they start; split a range that crosses midnight into two days.`,
          });
        }
      }
      const valid = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
      if (valid.length > 0) workingDays += 1;
      for (let i = 1; i < valid.length; i++) {
        const previous = valid[i - 1];
        const current = valid[i];
        if (previous && current && current.start < previous.end) {
          ctx.addIssue({
            code: 'custom',
            path: [day, current.index],
            message: `${DAY_NAMES[day]}'s working hours ${previous.range.start}–${previous.range.end} and ${current.range.start}–${current.range.end} overlap.`,
          });
        }
      }
    }
    if (workingDays === 0) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'Choose at least one working day, or turn working hours off.',
      });
    }
  });
export type WorkingHours = z.infer<typeof WorkingHoursSchema>;

function defaultWorkingHours(): WorkingHours {
  const day = () => [{ start: '09:00', end: '17:30' }];
  return { mon: day(), tue: day(), wed: day(), thu: day(), fri: day(), sat: [], sun: [] };
}

function minutes(label: string, max: number) {
  return z
    .number({ error: `${label} must be a number of minutes.` })
    .gt(0, `${label} must be more than 0 minutes.`)
    .lte(max, `${label} can be at most ${max} minutes.`);
}

const MicroBreaks = z
  .object({
    everyMinutes: minutes('The micro-break interval', 240),
    durationSeconds: z
      .number({ error: 'A micro-break must last a number of seconds.' })
      .gt(0, 'A micro-break must last more than 0 seconds.')
      .lte(600, 'A micro-break can last at most 600 seconds; use breaks for anything longer.'),
  })
  .strict();

export const FocusConfigSchema = z
  .object({
    /** IANA zone for working hours, "until tomorrow" and per-day stats. */
    timeZone: z
      .string({ error: 'Choose a time zone (an IANA name such as Europe/Berlin).' })
      .refine(isKnownTimeZone, {
        error: (issue) =>
          `"${String(issue.input)}" is not a time zone this computer knows; use an IANA name such as Europe/Berlin.`,
      }),
    focusMinutes: minutes('A focus block', 240).default(25),
    shortBreakMinutes: minutes('A short break', 240).default(5),
    longBreakMinutes: minutes('A long break', 240).default(15),
    longBreakEvery: z
      .number({ error: 'The long-break interval must be a whole number of focus blocks.' })
      .int('The long-break interval must be a whole number of focus blocks.')
      .gte(1, 'A long break must come after at least 1 focus block.')
      .lte(100, 'A long break must come at least every 100 focus blocks.')
      .default(4),
    /** Short look-away reminders during focus; null turns them off. */
    microBreaks: MicroBreaks.nullable().default(null),
    breakNoticeSeconds: z
      .number({ error: 'The break notice lead time must be a number of seconds.' })
      .gte(0, 'The break notice lead time cannot be negative.')
      .lte(3600, 'The break notice can come at most 3600 seconds before a break.')
      .default(60),
    postponeMinutes: minutes('Postponing', 240).default(5),
    maxPostpones: z
      .number({ error: 'The postpone limit must be a whole number.' })
      .int('The postpone limit must be a whole number.')
      .gte(0, 'The postpone limit cannot be negative.')
      .lte(20, 'A break can be postponed at most 20 times.')
      .default(2),
    idleMinutes: minutes('The idle threshold', 240).default(5),
    /** Working time ranges per weekday in `timeZone`; null means "no limits". */
    workingHours: WorkingHoursSchema.nullable().default(defaultWorkingHours),
    autoStartNextPhase: z.boolean({ error: 'Auto-start must be on or off.' }).default(true),
    /** Strict breaks: a break cannot be postponed or skipped (Stretchly's strict mode). */
    strictBreaks: z.boolean({ error: 'Strict breaks must be on or off.' }).default(false),
  })
  .strict()
  .superRefine((config, ctx) => {
    // Cross-field rules only make sense once each field is valid on its own.
    if (!(config.focusMinutes > 0)) return;
    if (config.breakNoticeSeconds >= config.focusMinutes * 60) {
      ctx.addIssue({
        code: 'custom',
        path: ['breakNoticeSeconds'],
        message: `The break notice (${config.breakNoticeSeconds} s ahead) must come after the ${config.focusMinutes}-minute focus block has started.`,
      });
    }
    const micro = config.microBreaks;
    if (micro && micro.everyMinutes >= config.focusMinutes) {
      ctx.addIssue({
        code: 'custom',
        path: ['microBreaks', 'everyMinutes'],
        message: `Micro-breaks every ${micro.everyMinutes} min would never happen within a ${config.focusMinutes}-minute focus block.`,
      });
    }
    if (micro && micro.durationSeconds >= micro.everyMinutes * 60) {
      ctx.addIssue({
        code: 'custom',
        path: ['microBreaks', 'durationSeconds'],
        message: 'A micro-break must be shorter than the time between micro-breaks.',
      });
    }
  });

/** Settings as stored and used by the engine, with every default filled in. */
export type FocusConfig = z.output<typeof FocusConfigSchema>;
/** Settings as a person or an older file may give them: everything but the time zone is optional. */
export type FocusConfigInput = z.input<typeof FocusConfigSchema>;

/** A parse result: the config, or a summary failure plus one message per field path (`a.b.0`). */
export type FocusConfigResult =
  | { readonly ok: true; readonly value: FocusConfig }
  | {
      readonly ok: false;
      readonly error: Failure;
      readonly fieldErrors: Readonly<Record<string, string>>;
    };

/**
 * Validates untrusted settings (from the settings form, storage or IPC), filling in defaults.
 * Impossible settings are refused with a sentence per field, keyed by the field's dotted path.
 */
export function parseFocusConfig(input: unknown): FocusConfigResult {
  const parsed = FocusConfigSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  const fieldErrors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const key = issue.path.map(String).join('.');
    if (!(key in fieldErrors)) fieldErrors[key] = issue.message;
  }
  const message = Object.values(fieldErrors).join(' ');
  return { ok: false, error: { code: 'invalid-config', message }, fieldErrors };
}

/**
 * The default settings (25/5/15, long break every 4, Monday–Friday 09:00–17:30) in `timeZone`.
 * Throws only when `timeZone` is not a known IANA zone, which is a programming error.
 */
export function defaultFocusConfig(timeZone: string): FocusConfig {
  const parsed = parseFocusConfig({ timeZone });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}
