import './backups.css';
import { useEffect, useState } from 'react';
import { formatBytes } from '../../../shared/storage/recovery';
import { useAppStore } from '../../store';
import { useStorageStore } from './storageStore';

const SHOW_DETAIL_AFTER_MS = 400;

/**
 * "Loading workspace…" (or `title`), and for a load that takes a while, what it is doing and how
 * far it is. The notes section shows it where the editor goes while its list is a stored preview.
 */
export function WorkspaceLoading({ title }: { title?: string } = {}) {
  const id = useAppStore((state) => state.activeWorkspaceId);
  const name = useAppStore(
    (state) => state.workspaces.find((workspace) => workspace.id === id)?.name,
  );
  const progress = useStorageStore((state) => (id ? state.progress[id] : undefined));
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(timer);
  }, []);
  const elapsed = progress ? now - progress.startedAt : 0;
  const detailed = progress && progress.phase !== 'done' && elapsed > SHOW_DETAIL_AFTER_MS;
  const fraction =
    progress && progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : null;
  let step = '';
  if (progress?.phase === 'upgrading')
    step = `Updating its storage for this version, once: ${progress.rowsDone.toLocaleString()} of ${progress.rowsTotal.toLocaleString()} notes…`;
  else if (progress?.phase === 'reading') step = 'Reading stored data…';
  else if (progress?.phase === 'checking')
    step = `Checking ${progress.rowsTotal} saved ${progress.rowsTotal === 1 ? 'change' : 'changes'} (${formatBytes(progress.bytesTotal)})…`;
  else if (progress?.phase === 'applying')
    step = `Opening ${progress.rowsDone} of ${progress.rowsTotal} saved changes (${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)})…`;
  return (
    <div className="loading" role="status" aria-live="polite">
      <div className="workspace-loading">
        <p>{title ?? (name ? `Loading ${name}…` : 'Loading workspace…')}</p>
        {detailed && (
          <>
            <progress
              max={1}
              {...(progress.phase === 'upgrading' && progress.rowsTotal > 0
                ? { value: progress.rowsDone / progress.rowsTotal }
                : fraction !== null && progress.phase === 'applying'
                  ? { value: fraction }
                  : {})}
              aria-label="Loading progress"
            />
            <p className="muted">
              {step} {Math.round(elapsed / 1000)} s
            </p>
          </>
        )}
      </div>
    </div>
  );
}
