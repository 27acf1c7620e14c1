/**
 * Finding a time zone the way a person thinks of it: by city or country ("Ho Chi Minh City",
 * "Vietnam", "Saigon"), not by IANA name. The cities, countries and aliases come from @vvo/tzdb,
 * a maintained list built from the IANA tz database and GeoNames; whether this computer knows a
 * zone is still asked of the built-in Intl API (zonedTime.ts).
 */
import { rawTimeZones, type RawTimeZone } from '@vvo/tzdb';
import { isKnownTimeZone, zoneOffsetMs } from './zonedTime';

/** One zone as the picker offers it. */
export interface ZoneChoice {
  /** The IANA name to store, as the tz database spells it today (e.g. Asia/Ho_Chi_Minh). */
  readonly zone: string;
  /** "Ho Chi Minh City, Vietnam". */
  readonly place: string;
  /** "Indochina Time · Hanoi, Haiphong · Asia/Ho_Chi_Minh". */
  readonly detail: string;
}

/** Lower case without accents, so "cần thơ" and "Can Tho" meet. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[_/,.()-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

interface Entry {
  readonly raw: RawTimeZone;
  /** Cities first, then the country, the zone's names and its generic name. */
  readonly fields: readonly string[];
}

let entries: Entry[] | null = null;
function allEntries(): Entry[] {
  entries ??= rawTimeZones
    .filter((raw) => isKnownTimeZone(raw.name))
    .map((raw) => ({
      raw,
      fields: [
        ...raw.mainCities,
        raw.countryName,
        ...raw.group,
        ...raw.group.map((name) => name.split('/').at(-1) ?? name),
        raw.alternativeName,
        raw.abbreviation,
      ].map(fold),
    }));
  return entries;
}

function choiceOf(raw: RawTimeZone): ZoneChoice {
  const [city, ...otherCities] = raw.mainCities;
  return {
    zone: raw.name,
    place: city ? `${city}, ${raw.countryName}` : raw.countryName || raw.name,
    detail: [raw.alternativeName, otherCities.slice(0, 2).join(', '), raw.name]
      .filter(Boolean)
      .join(' · '),
  };
}

/** The tz database's entry whose zone or aliases include `zone` (Asia/Saigon → Ho Chi Minh). */
function entryFor(zone: string): Entry | undefined {
  return allEntries().find((entry) => entry.raw.group.includes(zone));
}

/**
 * Zones matching `query` by city, country, IANA name or alias, best first: a city that starts with
 * the query before one that merely contains it, then countries and names. At most `limit`.
 */
export function searchTimeZones(query: string, limit = 8): ZoneChoice[] {
  const words = fold(query).split(' ').filter(Boolean);
  if (words.length === 0) return [];
  const phrase = words.join(' ');
  const scored: { raw: RawTimeZone; score: number }[] = [];
  for (const entry of allEntries()) {
    if (!words.every((word) => entry.fields.some((field) => field.includes(word)))) continue;
    const cityCount = entry.raw.mainCities.length;
    let score = 100;
    entry.fields.forEach((field, index) => {
      const rank = index < cityCount ? index : cityCount + 4;
      if (field === phrase) score = Math.min(score, rank);
      else if (field.startsWith(phrase)) score = Math.min(score, 10 + rank);
      else if (field.includes(phrase)) score = Math.min(score, 30 + rank);
    });
    scored.push({ raw: entry.raw, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.raw.name.localeCompare(b.raw.name))
    .slice(0, limit)
    .map(({ raw }) => choiceOf(raw));
}

/**
 * How a stored zone reads for a person: "Ho Chi Minh City, Vietnam" for Asia/Saigon or
 * Asia/Ho_Chi_Minh; the IANA name with spaces where the list does not know the zone (e.g. UTC).
 */
export function describeTimeZone(zone: string): string {
  const entry = entryFor(zone);
  return entry ? choiceOf(entry.raw).place : zone.replace(/_/g, ' ');
}

/** True when two names are the same zone (an alias and its current name, e.g. Asia/Saigon). */
export function sameTimeZone(a: string, b: string): boolean {
  if (a === b) return true;
  const entry = entryFor(a);
  return entry !== undefined && entry.raw.group.includes(b);
}

/** "UTC+07:00" at `at`. */
export function utcOffsetText(zone: string, at: number): string {
  const minutes = Math.round(zoneOffsetMs(at, zone) / 60_000);
  const sign = minutes < 0 ? '−' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Whether to offer "I moved: use <zone>": the computer's zone changed since Outpost last looked
 * (`seen`, null before the first look) and is not the profile's. A zone the person chose on
 * purpose while the computer stayed put is never questioned.
 */
export function offerMove(detected: string, seen: string | null, profileZone: string): boolean {
  return seen !== null && seen !== detected && !sameTimeZone(detected, profileZone);
}
