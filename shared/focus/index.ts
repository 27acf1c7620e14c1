/**
 * Focus and breaks: the pure timer engine, its settings, working hours in the person's time zone,
 * and stats. Everything takes `now` explicitly; nothing here owns a timer or a clock. The calendar
 * (weekdays, time zones, local dates) is shared/time's.
 */
export * from './config';
export * from './engine';
export * from './state';
export * from './messages';
export * from './stats';
export * from './workingHours';
export * from './breakIdeas';
export * from './teamDay';
