/**
 * Durations in words with correct plurals ("1 minute", "5 minutes", "1 second"), from the
 * engine's unit formatting (Intl.NumberFormat with a unit) rather than a hand-written "s".
 */

type Unit = 'second' | 'minute' | 'hour';

const formats = new Map<Unit, Intl.NumberFormat>();

/** "1 minute", "2.5 minutes", "30 seconds": `value` of `unit`, spelled out in English. */
export function formatAmount(value: number, unit: Unit): string {
  let format = formats.get(unit);
  if (!format) {
    format = new Intl.NumberFormat('en', {
      style: 'unit',
      unit,
      unitDisplay: 'long',
      maximumFractionDigits: 2,
    });
    formats.set(unit, format);
  }
  return format.format(value);
}

/** "1 minute", "90 minutes". */
export const minutesText = (minutes: number): string => formatAmount(minutes, 'minute');

/** "1 second", "45 seconds". */
export const secondsText = (seconds: number): string => formatAmount(seconds, 'second');
