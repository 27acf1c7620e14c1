/**
 * Focus and breaks: the pure timer engine, its settings, working hours in the person's time zone,
 * and stats. Everything takes `now` explicitly; nothing here owns a timer or a clock.
 */
export * from './config';
export * from './engine';
export * from './state';
export * from './messages';
export * from './stats';
export * from './workingHours';
export {
  addDays,
  dateKey,
  isKnownTimeZone,
  isoWeekKey,
  localDate,
  localDateTime,
  parseDateKey,
  zonedTimeToEpoch,
  type LocalDate,
  type LocalDateTime,
} from './zonedTime';
