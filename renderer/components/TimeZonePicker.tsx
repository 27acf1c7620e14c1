/**
 * The time-zone picker: type a city or a country ("Ho Chi Minh City", "Vietnam") and choose from
 * what matches, instead of scrolling 400 IANA names. Used by onboarding and the profile settings;
 * the choice is handed to `onChoose`, which saves it.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import {
  describeTimeZone,
  sameTimeZone,
  searchTimeZones,
  utcOffsetText,
} from '../../shared/time/zoneSearch';
import { deviceTimeZone } from '../../shared/time/zonedTime';
import { clockIn } from '../../shared/focus/messages';

interface TimeZonePickerProps {
  /** The label's id stem; the search input gets `${id}`. */
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onChoose: (zone: string) => void;
}

export function TimeZonePicker({ id, label, value, onChoose }: TimeZonePickerProps) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const results = useMemo(() => searchTimeZones(query), [query]);
  const system = deviceTimeZone();
  // The offsets and "15:00 now" beside each zone, refreshed every half minute.
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, []);
  const choose = (zone: string) => {
    onChoose(zone);
    setQuery('');
    setActive(0);
  };
  return (
    <div className="field zone-picker">
      <label htmlFor={id}>{label}</label>
      <p className="zone-current" data-testid={`${id}-current`}>
        <strong>{describeTimeZone(value)}</strong>{' '}
        <span className="record-meta">
          {utcOffsetText(value, now)} · {clockIn(now, value)} now
        </span>
      </p>
      <input
        id={id}
        className="input"
        type="search"
        role="combobox"
        aria-expanded={results.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={results.length > 0 ? `${listId}-${active}` : undefined}
        placeholder="Search a city or a country"
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown') setActive((i) => Math.min(results.length - 1, i + 1));
          else if (event.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
          else if (event.key === 'Enter') {
            const picked = results[active];
            event.preventDefault();
            if (picked) choose(picked.zone);
          } else if (event.key === 'Escape') setQuery('');
          else return;
          if (event.key !== 'Enter' && event.key !== 'Escape') event.preventDefault();
        }}
      />
      {query.trim() !== '' && results.length === 0 && (
        <p className="hint" role="status">
          No city or country matches “{query.trim()}”. Try the nearest big city.
        </p>
      )}
      {results.length > 0 && (
        <ul className="zone-results" role="listbox" id={listId} aria-label="Matching time zones">
          {results.map((choice, index) => (
            <li
              key={choice.zone}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              className="zone-option"
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(choice.zone)}
            >
              <span>{choice.place}</span>
              <span className="record-meta">
                {utcOffsetText(choice.zone, now)} · {choice.detail}
              </span>
            </li>
          ))}
        </ul>
      )}
      {!sameTimeZone(system, value) && (
        <button type="button" className="button zone-system" onClick={() => choose(system)}>
          Use this computer&apos;s zone: {describeTimeZone(system)}
        </button>
      )}
    </div>
  );
}
