import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Member, RecordKind } from '../../shared/schema/records';
import { useAppStore } from '../store';
import { formatDateTime, timeAgo } from './time';
import { useSavedField } from './useSavedField';
import { fail, ok } from '../../shared/result';
import type { ListRecord } from './RecordListPane';
import { FieldError } from './Field';

interface DetailRecord extends ListRecord {
  readonly createdAt: number;
  readonly createdBy: string;
  readonly updatedBy: string;
}

interface RecordDetailProps {
  readonly kind: RecordKind;
  readonly noun: string;
  readonly record: DetailRecord;
  readonly members: readonly Member[];
  readonly children?: ReactNode;
  /** Focus and select the title (right after creating the record). */
  readonly autoFocusTitle?: boolean;
  readonly allowEmptyTitle?: boolean;
  /** The record is history (a rejected or superseded decision): its title is shown, not edited. */
  readonly titleLocked?: boolean;
}

function memberName(members: readonly Member[], id: string, selfId: string | undefined): string {
  if (id === selfId) return 'you';
  return members.find((member) => member.id === id)?.name ?? 'a former member';
}

/** The detail half of a section: editable title, who/when, lifecycle actions, and the record's fields. */
export function RecordDetail({
  kind,
  noun,
  record,
  members,
  children,
  autoFocusTitle,
  allowEmptyTitle,
  titleLocked,
}: RecordDetailProps) {
  const profile = useAppStore((state) => state.profile);
  const updateRecord = useAppStore((state) => state.updateRecord);
  const setArchived = useAppStore((state) => state.setArchived);
  const trashRecord = useAppStore((state) => state.trashRecord);
  const restoreRecord = useAppStore((state) => state.restoreRecord);
  const purgeRecord = useAppStore((state) => state.purgeRecord);
  const select = useAppStore((state) => state.select);
  const notify = useAppStore((state) => state.notify);
  const readOnly = useAppStore(
    (state) => state.workspaceStatus.state === 'ready' && state.workspaceStatus.readOnly,
  );

  // Per-record state (draft, confirmation) resets because callers key this component by record id.
  const title = useSavedField(record.title, (draft) => {
    if (!allowEmptyTitle && draft.trim() === '') return fail('empty', `A ${noun} needs a title.`);
    const result = updateRecord(kind, record.id, { title: draft });
    return result.ok ? ok(result.value.title) : result;
  });
  const [confirmPurge, setConfirmPurge] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (autoFocusTitle) {
      titleRef.current?.focus();
      titleRef.current?.select();
    }
  }, [autoFocusTitle, record.id]);

  const run = (result: { ok: boolean; error?: { message: string } }) => {
    if (!result.ok && result.error) notify('error', result.error.message);
  };

  const trashed = record.deletedAt !== null;
  return (
    <article className="detail" aria-label={`${noun} details`}>
      <input
        ref={titleRef}
        className="detail-title"
        aria-label={`${noun} title`}
        placeholder="Untitled"
        readOnly={readOnly || trashed || titleLocked}
        maxLength={200}
        {...title.props}
      />
      <FieldError message={title.error} />
      <p className="detail-meta">
        <span title={formatDateTime(record.createdAt)}>
          Created {timeAgo(record.createdAt)} by{' '}
          {memberName(members, record.createdBy, profile?.memberId)}
        </span>
        {' · '}
        <span title={formatDateTime(record.updatedAt)}>
          edited {timeAgo(record.updatedAt)} by{' '}
          {memberName(members, record.updatedBy, profile?.memberId)}
        </span>
        {trashed && ' · in the trash'}
        {!trashed && record.archived && ' · archived'}
      </p>
      {children}
      {!readOnly && (
        <div className="actions">
          {trashed ? (
            <>
              <button
                type="button"
                className="button"
                onClick={() => run(restoreRecord(kind, record.id))}
              >
                Restore
              </button>
              <button
                type="button"
                className="button danger"
                onClick={() => {
                  if (!confirmPurge) return setConfirmPurge(true);
                  run(purgeRecord(kind, record.id));
                  select(kind, null);
                }}
              >
                {confirmPurge ? 'Click again to delete forever' : 'Delete forever'}
              </button>
            </>
          ) : (
            <>
              <button
                type="button"
                className="button"
                onClick={() => run(setArchived(kind, record.id, !record.archived))}
              >
                {record.archived ? 'Unarchive' : 'Archive'}
              </button>
              <button
                type="button"
                className="button danger"
                onClick={() => run(trashRecord(kind, record.id))}
              >
                Move to trash
              </button>
            </>
          )}
        </div>
      )}
    </article>
  );
}
