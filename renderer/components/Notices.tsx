import { useEffect, useState } from 'react';
import { useAppStore } from '../store';
import type { Notice } from '../store/types';

/** How long a piece of news ("Imported 3 notes.") stays; warnings and errors stay until closed. */
export const INFO_NOTICE_MS = 8_000;

/** Messages for the person: damaged data, failed saves, anything they should know. */
export function Notices() {
  const notices = useAppStore((state) => state.notices);
  if (notices.length === 0) return null;
  return (
    <div className="notices" aria-live="polite">
      {notices.map((notice) => (
        <NoticeItem key={notice.id} notice={notice} />
      ))}
    </div>
  );
}

function NoticeItem({ notice }: { notice: Notice }) {
  const dismiss = useAppStore((state) => state.dismissNotice);
  // Held open while the pointer or keyboard focus is on it, so it can be read in full.
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (notice.tone !== 'info' || held) return;
    const timer = setTimeout(() => dismiss(notice.id), INFO_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice, held, dismiss]);
  return (
    <div
      className={`notice ${notice.tone}`}
      role={notice.tone === 'error' ? 'alert' : 'status'}
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
    >
      <p>{notice.message}</p>
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss"
        onClick={() => dismiss(notice.id)}
      >
        ✕
      </button>
    </div>
  );
}
