import './backups.css';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BackupList } from '../../../shared/ipc/backupsContract';
import { ROW_PROBLEM_TEXT, formatBytes, type RowProblem } from '../../../shared/storage/recovery';
import type { SetAsideEntry } from '../../sync/storage/idb';
import { useAppStore } from '../../store';
import { timeAgo } from '../../components/time';
import {
  backupNow,
  checkPickedFile,
  dateLabel,
  downloadBackup,
  downloadSetAside,
  exportMarkdown,
  exportWorkspaceFile,
  listBackups,
  listSetAside,
  onBackupsChanged,
  readBackup,
  replaceCurrent,
  restoreAsNew,
  type CheckedFile,
  type LockedFile,
} from './backupActions';
import { ExportFileDialog } from './ExportFileDialog';
import { ImportPassphraseDialog } from './ImportPassphraseDialog';
import { useStorageStore } from './storageStore';
import type { Result } from '../../../shared/result';

/** "Cannot be decoded", from the problem stored with a set-aside row (its code, or older text). */
function problemText(problem: string): string {
  const text = Object.hasOwn(ROW_PROBLEM_TEXT, problem)
    ? ROW_PROBLEM_TEXT[problem as RowProblem]
    : problem;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A result as what `run` reports: its message when it worked, its error when it did not. */
function outcome(result: Result<string>): { ok: boolean; message: string } {
  return result.ok
    ? { ok: true, message: result.value }
    : { ok: false, message: result.error.message };
}

const REASONS: Record<string, string> = {
  change: 'after changes',
  quit: 'on quit',
  manual: 'by hand',
  export: 'export',
  'before-restore': 'before a restore',
  'before-delete': 'before deleting forever',
};

function counts(c: { notes: number; goals: number; decisions: number }): string {
  return `${c.notes} notes · ${c.goals} goals · ${c.decisions} decisions`;
}

/** Backups, export and import of the open workspace, and data set aside while loading it. */
export function BackupsView() {
  const workspaceId = useAppStore((state) => state.activeWorkspaceId);
  const workspaceName = useAppStore(
    (state) => state.workspaces.find((w) => w.id === state.activeWorkspaceId)?.name ?? '',
  );
  const notify = useAppStore((state) => state.notify);
  const shell = useAppStore((state) => state.appInfo?.shell ?? 'web');
  const save = useStorageStore((state) => (workspaceId ? state.save[workspaceId] : undefined));
  const notes = useAppStore((state) => state.snapshot?.notes.items);
  // A row set aside from a note's body names that note (by id when it is not in the list).
  const noteLabel = (id: string) => {
    const note = notes?.find((item) => item.id === id);
    return note ? `Note “${note.title || 'Untitled'}”` : `Note ${id}`;
  };
  const [list, setList] = useState<BackupList | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [setAside, setSetAside] = useState<SetAsideEntry[]>([]);
  const [pending, setPending] = useState<CheckedFile | null>(null);
  const [locked, setLocked] = useState<LockedFile | null>(null);
  const [exporting, setExporting] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    if (!workspaceId) return;
    let cancelled = false;
    void Promise.all([listBackups(workspaceId), listSetAside(workspaceId).catch(() => [])]).then(
      ([result, aside]) => {
        if (cancelled) return;
        setList(result.ok ? result.value : null);
        setListError(result.ok ? null : result.error.message);
        setSetAside(aside);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [workspaceId, version]);

  // A backup written while the list is shown (and the older ones it pruned) shows at once, so
  // the list never offers a backup that is gone.
  useEffect(
    () => (workspaceId ? onBackupsChanged(workspaceId, refresh) : undefined),
    [workspaceId, refresh],
  );

  const run = async (label: string, action: () => Promise<{ ok: boolean; message: string }>) => {
    setBusy(label);
    setStatus(null);
    try {
      const outcome = await action();
      if (!outcome.ok) notify('error', outcome.message);
      else if (outcome.message) setStatus(outcome.message);
    } finally {
      setBusy(null);
      refresh();
    }
  };

  const pick = async (file: File | undefined) => {
    if (!file) return;
    setStatus(null);
    const checked = await checkPickedFile(file);
    if (!checked.ok) {
      notify('error', checked.error.message);
      return;
    }
    if ('locked' in checked.value) setLocked(checked.value.locked);
    else setPending(checked.value.checked);
  };

  const choose = async (id: string) => {
    if (!workspaceId) return;
    // The list is read again first: a backup pruned since it was shown is not offered.
    const fresh = await listBackups(workspaceId);
    if (fresh.ok) {
      setList(fresh.value);
      if (!fresh.value.entries.some((entry) => entry.id === id)) {
        notify(
          'info',
          'That backup was just replaced by a newer one of the same hour; pick again.',
        );
        return;
      }
    }
    const checked = await readBackup(workspaceId, id);
    if (!checked.ok) notify('error', checked.error.message);
    else setPending(checked.value);
  };

  return (
    <div className="page backups-page">
      <h1>Backups</h1>
      <p className="lede">
        Everything you do is saved on this device as you type.{' '}
        {shell === 'electron'
          ? 'Outpost also keeps backups of each workspace in its data folder'
          : 'The Outpost companion also keeps backups of each workspace'}{' '}
        — one per hour for a day, one per day for a month. Backups you take with “Back up now” are
        kept beside those, never in their place, and so is the backup written before a restore or
        before deleting notes forever.
      </p>

      <section className="card" aria-labelledby="backups-heading">
        <div className="card-header">
          <h2 id="backups-heading">Backups of {workspaceName || 'this workspace'}</h2>
          <span className="save-state" role="status">
            {save?.state === 'saving'
              ? 'Saving…'
              : save?.state === 'failed'
                ? 'Not saved yet: retrying'
                : 'All changes saved on this device'}
          </span>
        </div>
        <div className="row-actions">
          <button
            type="button"
            className="button primary"
            disabled={busy !== null}
            onClick={() =>
              void run('backup', async () => {
                const result = await backupNow();
                return result.ok
                  ? {
                      ok: true,
                      message: result.value.written
                        ? 'Backup written.'
                        : 'The newest backup already holds exactly this data.',
                    }
                  : { ok: false, message: result.error.message };
              })
            }
          >
            Back up now
          </button>
        </div>
        {listError && <p className="error-text">{listError}</p>}
        {list && list.entries.length === 0 && (
          <p className="muted">
            No backups yet. One is written a little while after you make changes.
          </p>
        )}
        {list && list.entries.length > 0 && (
          <>
            <table className="backups-table">
              <caption className="visually-hidden">Backups, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Size</th>
                  <th scope="col">Contents</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.entries.map((entry) => (
                  <tr key={entry.id}>
                    <td>
                      <div>{dateLabel(entry.createdAt)}</div>
                      <div className="muted">
                        {timeAgo(entry.createdAt)} · {REASONS[entry.reason] ?? entry.reason}
                      </div>
                    </td>
                    <td>{formatBytes(entry.bytes)}</td>
                    <td>{counts(entry.counts)}</td>
                    <td>
                      <div className="row-actions end">
                        <button
                          type="button"
                          className="button"
                          disabled={busy !== null}
                          aria-label={`Restore the backup from ${dateLabel(entry.createdAt)}`}
                          onClick={() => void choose(entry.id)}
                        >
                          Restore…
                        </button>
                        <button
                          type="button"
                          className="button"
                          disabled={busy !== null}
                          aria-label={`Download the backup from ${dateLabel(entry.createdAt)}`}
                          onClick={() =>
                            void run('download', async () =>
                              outcome(await downloadBackup(workspaceId!, entry.id)),
                            )
                          }
                        >
                          {shell === 'electron' ? 'Save a copy…' : 'Download'}
                        </button>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <p className="muted">
              {list.entries.length === 1 ? '1 backup' : `${list.entries.length} backups`},{' '}
              {formatBytes(list.totalBytes)} of at most {formatBytes(list.maxBytes)}
              {shell === 'electron' ? ` in ${list.folder}` : ''}.
            </p>
          </>
        )}
        {list && list.damaged.length > 0 && (
          <p className="muted">
            {list.damaged.length} file(s) in the backup folder could not be read and are not offered
            for restore: {list.damaged.map((d) => d.id).join(', ')}.
          </p>
        )}
      </section>

      {pending && (
        <section className="card confirm-card" aria-labelledby="restore-heading" role="dialog">
          <h2 id="restore-heading">Restore “{pending.header.workspaceName || 'Workspace'}”?</h2>
          <p>
            {pending.fileName} · saved {dateLabel(pending.header.createdAt)} ·{' '}
            {counts(pending.header.counts)} · {formatBytes(pending.header.payloadBytes)}
          </p>
          <p className="muted">
            Restoring as a new workspace keeps everything you have now. Replacing puts this copy in
            place of “{workspaceName}” on this device; a backup of its current data is written
            first, so you can go back.
          </p>
          <div className="row-actions">
            <button
              type="button"
              className="button primary"
              disabled={busy !== null}
              onClick={() =>
                void run('restore', async () => {
                  const result = await restoreAsNew(pending);
                  setPending(null);
                  return result.ok
                    ? { ok: true, message: `Restored as “${result.value.name}”.` }
                    : { ok: false, message: result.error.message };
                })
              }
            >
              Restore as a new workspace
            </button>
            <button
              type="button"
              className="button danger"
              disabled={busy !== null}
              onClick={() =>
                void run('replace', async () => {
                  const result = await replaceCurrent(pending);
                  setPending(null);
                  return result.ok
                    ? { ok: true, message: `“${workspaceName}” was replaced by the copy.` }
                    : { ok: false, message: result.error.message };
                })
              }
            >
              Replace “{workspaceName}”
            </button>
            <button type="button" className="button" onClick={() => setPending(null)}>
              Cancel
            </button>
          </div>
        </section>
      )}

      <section className="card" aria-labelledby="export-heading">
        <h2 id="export-heading">Export and import</h2>
        <p className="muted">
          An Outpost file holds the whole workspace and can be imported on any device. Markdown is
          readable anywhere: one file per note, goal and decision
          {shell === 'electron' ? ', in a folder you choose' : ', downloaded as a zip'}.
        </p>
        <p className="muted" role="note">
          A workspace file is encrypted with a passphrase you choose, unless you export it
          unencrypted. Markdown is never encrypted: whoever has it can read it.
        </p>
        <div className="row-actions">
          <button
            type="button"
            className="button"
            disabled={busy !== null}
            onClick={() => setExporting(true)}
          >
            Export workspace file…
          </button>
          <button
            type="button"
            className="button"
            disabled={busy !== null}
            onClick={() => void run('markdown', async () => outcome(await exportMarkdown()))}
          >
            Export as Markdown
          </button>
          <button
            type="button"
            className="button"
            disabled={busy !== null}
            onClick={() => fileInput.current?.click()}
          >
            Import workspace file…
          </button>
          <input
            ref={fileInput}
            type="file"
            accept=".outpost,application/octet-stream"
            className="visually-hidden"
            aria-label="Workspace file to import"
            tabIndex={-1}
            onChange={(event) => {
              void pick(event.target.files?.[0]);
              event.target.value = '';
            }}
          />
        </div>
        {status && (
          <p className="status-text" role="status">
            {status}
          </p>
        )}
      </section>

      <ExportFileDialog
        open={exporting}
        busy={busy === 'export'}
        onClose={() => setExporting(false)}
        onExport={(protection) => {
          // The unencrypted-export warning comes next, in place of this dialog, not on top of it.
          if ('plain' in protection) setExporting(false);
          void run('export', async () => {
            try {
              return outcome(await exportWorkspaceFile(protection));
            } finally {
              setExporting(false);
            }
          });
        }}
      />
      <ImportPassphraseDialog
        locked={locked}
        onClose={() => setLocked(null)}
        onOpened={(checked) => {
          setLocked(null);
          setPending(checked);
        }}
      />

      {setAside.length > 0 && (
        <section className="card" aria-labelledby="aside-heading">
          <h2 id="aside-heading">Data set aside</h2>
          <p className="muted">
            These saved changes could not be read when the workspace or a note was opened. They are
            kept here, untouched; the rest opened without them.
          </p>
          <ul className="aside-list">
            {setAside.map((entry) => (
              <li key={entry.id}>
                <span className="aside-entry">
                  <span>
                    {entry.document !== undefined && `${noteLabel(entry.document)} · `}
                    {dateLabel(entry.at)} · {formatBytes(entry.bytes)} ·{' '}
                    {problemText(entry.problem)}
                  </span>
                  {entry.detail && (
                    <span className="aside-detail">
                      {entry.problem === 'not-bytes'
                        ? `Stored as ${entry.detail} data, not as bytes`
                        : `Details: ${entry.detail}`}
                    </span>
                  )}
                </span>
                <button type="button" className="button" onClick={() => downloadSetAside(entry)}>
                  Download
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
