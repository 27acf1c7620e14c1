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

export function HistoryEntry({ kind, recordId, editable, onCopied }: HistoryEntryProps) {
  const [open, setOpen] = useState(false);
  // Keeping a version is idempotent (one equal to the newest is not kept), so a second mount
  // (React's StrictMode runs effects twice in development) adds nothing.
  useEffect(() => {
    keepOpenedVersion(kind, recordId);
    return () => settleVersions(kind, recordId);
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
