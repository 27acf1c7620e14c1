/**
 * The way into a record's version history, for a note's or a decision's detail (the caller keys
 * it by record id): a "Version history" button that opens the panel in place. While the record is
 * open its state when opened is kept as a version, and edits made meanwhile become one when it is
 * left, so history always has the text to go back to.
 */
import { useEffect, useState } from 'react';
import type { VersionedKind } from '../../../shared/model/versions';
import { HistoryPanel } from './HistoryPanel';
import { keepOpenedVersion, settleVersions } from './historyActions';

interface HistoryEntryProps {
  readonly kind: VersionedKind;
  readonly recordId: string;
  readonly editable: boolean;
  readonly onCopied?: (noteId: string) => void;
}

/**
 * When each record's detail last went away. The detail can be mounted again a moment later without
 * the person leaving the record (a new note's detail is, while its first words are typed): that is
 * not an opening, and keeping "as it was when opened" then would store a half-typed title as a
 * version of its own.
 */
const leftAt = new Map<string, number>();
const REMOUNT_MS = 1000;

export function HistoryEntry({ kind, recordId, editable, onCopied }: HistoryEntryProps) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const key = `${kind}:${recordId}`;
    const left = leftAt.get(key);
    if (left === undefined || Date.now() - left > REMOUNT_MS) keepOpenedVersion(kind, recordId);
    return () => {
      leftAt.set(key, Date.now());
      settleVersions(kind, recordId);
    };
  }, [kind, recordId]);
  return open ? (
    <HistoryPanel
      kind={kind}
      recordId={recordId}
      editable={editable}
      onCopied={onCopied}
      onClose={() => setOpen(false)}
    />
  ) : (
    <div className="history-entry">
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Version history
      </button>
    </div>
  );
}
