/**
 * Dates and times as the person reads them: in their profile's time zone, the one time zone of
 * the app (issue 21). Focus, reminders, backups and record times all format through here, so
 * changing the zone in Settings moves every time shown at once; the computer's own zone is used
 * only before a profile exists.
 */
import { useAppStore } from '../store';

/** The profile's zone, or undefined (the computer's zone) before onboarding. */
export function personTimeZone(): string | undefined {
  return useAppStore.getState().profile?.timeZone;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** `time` formatted with `options` in the person's zone (formatters cached per zone and options). */
export function formatForPerson(time: number, options: Intl.DateTimeFormatOptions): string {
  const timeZone = personTimeZone();
  const key = `${timeZone ?? ''}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, { ...options, timeZone });
    formats.set(key, format);
  }
  return format.format(time);
}
