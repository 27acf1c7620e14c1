/**
 * Who else has this note open right now: a small avatar per teammate whose device shares (through
 * awareness, docs/PROTOCOL.md "Presence") that it shows this note. Read from the store's presence
 * snapshot, so it follows peers joining, switching notes and leaving. One person on two devices
 * shows once.
 */
import { useAppStore } from '../../store';
import type { PresenceEntry } from '../../store/syncSlice';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts.at(-1)!] : parts;
  return letters.map((part) => [...part][0]?.toUpperCase() ?? '').join('') || '?';
}

/** The other people in `noteId`, one entry per member (or per device without a member id). */
function peopleInNote(presence: readonly PresenceEntry[], noteId: string): PresenceEntry[] {
  const seen = new Set<string>();
  const out: PresenceEntry[] = [];
  for (const entry of presence) {
    if (entry.self || entry.location?.section !== 'notes' || entry.location.recordId !== noteId)
      continue;
    const key = entry.memberId ?? `client:${entry.clientId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

export function NotePresence({ noteId }: { noteId: string }) {
  const presence = useAppStore((state) => state.presence);
  const people = peopleInNote(presence, noteId);
  if (people.length === 0) return null;
  const names = people.map((person) => person.name).join(', ');
  return (
    <div className="note-presence" role="group" aria-label={`Also in this note: ${names}`}>
      {people.map((person) => (
        <span
          key={person.memberId ?? person.clientId}
          className="presence-avatar"
          style={{ background: person.color }}
          title={`${person.name} has this note open${person.device ? ` (${person.device})` : ''}`}
          aria-hidden="true"
        >
          {initials(person.name)}
        </span>
      ))}
      <span className="presence-names">
        {people.length === 1 ? `${names} is here` : `${names} are here`}
      </span>
    </div>
  );
}
