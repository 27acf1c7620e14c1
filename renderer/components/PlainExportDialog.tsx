/**
 * The question confirmPlainExport (plainExport.ts) asks before an unencrypted export: a modal
 * dialog that names what is exported and says plainly that the file is not encrypted. Escape or
 * "Cancel" writes nothing.
 */
import { useEffect, useRef } from 'react';
import { usePlainExportQuestion } from './plainExport';
import './plainExport.css';

export function PlainExportDialog() {
  const pending = usePlainExportQuestion((state) => state.pending);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (pending && !element.open) element.showModal();
    if (!pending && element.open) element.close();
  }, [pending]);

  return (
    <dialog
      ref={dialog}
      className="plain-export"
      aria-labelledby="plain-export-heading"
      aria-describedby="plain-export-text"
      onCancel={(event) => {
        event.preventDefault();
        pending?.answer(false);
      }}
    >
      {pending && (
        <>
          <h2 id="plain-export-heading">This export is not encrypted</h2>
          <p id="plain-export-text">
            {pending.what} will be written as plain files. Outpost encrypts what it keeps on this
            device, but not exports: anyone who gets a copy can read them. Keep them somewhere only
            you can reach, or delete them when done.
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="button primary"
              autoFocus
              onClick={() => pending.answer(true)}
            >
              Export unencrypted
            </button>
            <button type="button" className="button" onClick={() => pending.answer(false)}>
              Cancel
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
