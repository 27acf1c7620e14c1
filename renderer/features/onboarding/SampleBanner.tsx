/** While the open workspace holds the first-run sample: says so, with the one click that removes it. */
import { useMemo, useState } from 'react';
import { useAppStore } from '../../store';
import { openSampleCount, removeSampleNow } from './sampleActions';

export function SampleBanner() {
  const notesList = useAppStore((state) => state.snapshot?.notes);
  const goalsList = useAppStore((state) => state.snapshot?.goals);
  const decisionsList = useAppStore((state) => state.snapshot?.decisions);
  const [busy, setBusy] = useState(false);
  // Recounted only when a list of records changes (a sample record is a record of one of them).
  const count = useMemo(
    () => (notesList || goalsList || decisionsList ? openSampleCount() : 0),
    [notesList, goalsList, decisionsList],
  );
  if (count === 0) return null;
  return (
    <div className="sample-banner" role="region" aria-label="Sample">
      <span>
        The records titled “Sample · …” are a <strong>sample</strong>. Removing it leaves your own
        records alone.
      </span>
      <button
        type="button"
        className="button"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void removeSampleNow().finally(() => setBusy(false));
        }}
      >
        Remove the sample
      </button>
    </div>
  );
}
