/**
 * Version history of one note or decision: the versions this device kept (newest first, with
 * when, why and whose changes), what changed in the one picked (against the version before it or
 * against the text now), and putting it back or copying from it.
 */
import './history.css';
import { useCallback, useEffect, useState } from 'react';
import type { VersionContent, VersionedKind } from '../../../shared/model/versions';
import type { Member } from '../../../shared/schema/records';
import { useAppStore } from '../../store';
import { selectMembers } from '../../store/selectors';
import { formatDateTime, timeAgo } from '../../components/time';
import { VersionDiff } from './VersionDiff';
import {
  copyAsNewNote,
  copyText,
  currentContent,
  listVersions,
  onVersionKept,
  readVersion,
  restore,
  textOf,
  type VersionEntry,
} from './historyActions';
import { DEFAULT_VERSION_RETENTION } from '../../../shared/storage/versionRetention';
import { ok, type Result } from '../../../shared/result';

const WHY: Record<VersionEntry['trigger'], string> = {
  edit: 'Edited',
  sync: 'Changes from teammates',
  open: 'As it was when opened',
  'before-restore': 'Before a restore',
};

/** The time of day a version was taken (versions minutes apart must tell apart). */
function clockTime(ms: number): string {
  const date = new Date(ms);
  const time = date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return date.toDateString() === new Date().toDateString()
    ? time
    : `${date.toLocaleDateString(undefined, { dateStyle: 'medium' })} ${time}`;
}

function names(authors: readonly string[], members: readonly Member[], self?: string): string {
  return authors
    .map((id) =>
      id === self ? 'you' : (members.find((m) => m.id === id)?.name ?? 'a former member'),
    )
    .join(', ');
}

interface HistoryPanelProps {
  readonly kind: VersionedKind;
  readonly recordId: string;
  /** Whether the record may be changed (restoring writes to it). */
  readonly editable: boolean;
  /** Called after a version was put back or copied (the caller may open the copy). */
  readonly onCopied?: (noteId: string) => void;
  readonly onClose: () => void;
}

type Compare = 'previous' | 'current';

export function HistoryPanel({ kind, recordId, editable, onCopied, onClose }: HistoryPanelProps) {
  const members = useAppStore(selectMembers);
  const self = useAppStore((state) => state.profile?.memberId);
  const notify = useAppStore((state) => state.notify);
  const [versions, setVersions] = useState<VersionEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<number | null>(null);
  const [compare, setCompare] = useState<Compare>('previous');
  const [shown, setShown] = useState<{
    id: number;
    compare: Compare;
    content: VersionContent;
    text: string;
    before: string | null;
  } | null>(null);
  const [busy, setBusy] = useState(false);

  // Bumped when a version is kept or one turns out to be gone: the list is read again.
  const [listed, setListed] = useState(0);
  const reload = useCallback(() => setListed((n) => n + 1), []);

  useEffect(
    () =>
      onVersionKept((entry) => {
        if (entry.kind === kind && entry.recordId === recordId) reload();
      }),
    [kind, recordId, reload],
  );

  useEffect(() => {
    let cancelled = false;
    void listVersions(kind, recordId).then((result) => {
      if (cancelled) return;
      if (!result.ok) return setError(result.error.message);
      setVersions(result.value);
      setPicked((current) =>
        current !== null && result.value.some((v) => v.id === current)
          ? current
          : (result.value[0]?.id ?? null),
      );
    });
    return () => {
      cancelled = true;
    };
  }, [kind, recordId, listed]);

  const index = versions?.findIndex((v) => v.id === picked) ?? -1;
  const entry = index >= 0 ? versions![index]! : null;
  const previous = index >= 0 ? (versions![index + 1] ?? null) : null;

  useEffect(() => {
    if (!entry) return;
    let cancelled = false;
    void (async () => {
      const read = await readVersion(entry);
      if (cancelled) return;
      if (!read.ok) {
        setError(read.error.message);
        return reload();
      }
      let before: string | null = null;
      if (compare === 'current') {
        const now = await currentContent(kind, recordId);
        before = now ? textOf(now) : null;
      } else if (previous) {
        const older = await readVersion(previous);
        before = older.ok ? textOf(older.value) : null;
      }
      if (cancelled) return;
      setError(null);
      setShown({ id: entry.id, compare, content: read.value, text: textOf(read.value), before });
    })();
    return () => {
      cancelled = true;
    };
  }, [entry, previous, compare, kind, recordId, reload]);
  // What is on screen belongs to the version picked (a new pick shows nothing until it is read).
  const view = shown && entry && shown.id === entry.id && shown.compare === compare ? shown : null;
  const content = view?.content ?? null;

  /** Runs one of the version's actions: its message when it worked, its error when not. */
  const act = async (run: () => Promise<Result<string>>) => {
    setBusy(true);
    try {
      const result = await run();
      notify(result.ok ? 'info' : 'error', result.ok ? result.value : result.error.message);
    } finally {
      setBusy(false);
    }
  };

  const actions: Array<{ label: string; primary?: boolean; run: () => Promise<Result<string>> }> =
    entry && content
      ? [
          ...(editable
            ? [
                {
                  label: 'Restore this version',
                  primary: true,
                  run: async () => {
                    const restored = await restore(kind, recordId, content);
                    return restored.ok
                      ? ok(
                          `Restored the version from ${formatDateTime(entry.takenAt)}. The text before it is kept as a version.`,
                        )
                      : restored;
                  },
                },
              ]
            : []),
          ...(kind === 'note' && editable
            ? [
                {
                  label: 'Copy as a new note',
                  run: async () => {
                    const copied = await copyAsNewNote(content, entry.takenAt);
                    if (!copied.ok) return copied;
                    onCopied?.(copied.value.id);
                    return ok(`Copied into the new note “${copied.value.title}”.`);
                  },
                },
              ]
            : []),
          {
            label: 'Copy text',
            run: async () => {
              const copied = await copyText(content);
              return copied.ok ? ok('Copied the version’s text.') : copied;
            },
          },
        ]
      : [];

  return (
    <section className="history-panel" aria-label="Version history">
      <header className="history-header">
        <h2>Version history</h2>
        <button type="button" className="button" onClick={onClose}>
          Close history
        </button>
      </header>
      <p className="muted history-note">
        Kept on this device: when edits pause, when teammates’ changes arrive, when the{' '}
        {kind === 'note' ? 'note' : 'decision'} is opened and before a restore. The newest{' '}
        {DEFAULT_VERSION_RETENTION.perRecord} versions are kept.
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {versions && versions.length === 0 && (
        <p className="muted">No earlier versions yet. One is kept as soon as edits pause.</p>
      )}
      {versions && versions.length > 0 && (
        <div className="history-body">
          <ul className="version-list" role="listbox" aria-label="Versions">
            {versions.map((version) => (
              <li
                key={version.id}
                role="option"
                aria-selected={version.id === picked}
                tabIndex={version.id === picked ? 0 : -1}
                className="version-item"
                onClick={() => setPicked(version.id)}
                onKeyDown={(event) => {
                  const at = versions.indexOf(version);
                  const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
                  const next = versions[at + step];
                  if (step && next) {
                    event.preventDefault();
                    setPicked(next.id);
                    const items = event.currentTarget.parentElement?.children;
                    (items?.[at + step] as HTMLElement | undefined)?.focus();
                  }
                }}
              >
                <span className="version-time" title={formatDateTime(version.takenAt)}>
                  {clockTime(version.takenAt)}{' '}
                  <span className="muted">· {timeAgo(version.takenAt)}</span>
                </span>
                <span className="version-why">
                  {WHY[version.trigger]}
                  {version.authors.length > 0 && ` by ${names(version.authors, members, self)}`}
                </span>
              </li>
            ))}
          </ul>
          <div className="version-view">
            <fieldset className="version-compare">
              <legend>Show changes against</legend>
              <label>
                <input
                  type="radio"
                  name={`compare-${recordId}`}
                  checked={compare === 'previous'}
                  onChange={() => setCompare('previous')}
                />
                the version before it
              </label>
              <label>
                <input
                  type="radio"
                  name={`compare-${recordId}`}
                  checked={compare === 'current'}
                  onChange={() => setCompare('current')}
                />
                the {kind} now
              </label>
            </fieldset>
            {view && (
              <VersionDiff
                before={view.before}
                after={view.text}
                direction={compare === 'current' ? 'to-current' : 'from-previous'}
              />
            )}
            {actions.length > 0 && (
              <div className="actions">
                {actions.map((action) => (
                  <button
                    key={action.label}
                    type="button"
                    className={action.primary ? 'button primary' : 'button'}
                    disabled={busy}
                    onClick={() => void act(action.run)}
                  >
                    {action.label}
                  </button>
                ))}
              </div>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
