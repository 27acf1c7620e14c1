/**
 * The question confirmPlainExport (plainExport.ts) asks before an unencrypted export: a modal
 * dialog that names what is exported and says plainly that the file is not encrypted. Escape or
 * "Cancel" writes nothing.
 */
import { usePlainExportQuestion } from './plainExport';
import { ModalDialog } from './ModalDialog';

export function PlainExportDialog() {
  const pending = usePlainExportQuestion((state) => state.pending);
  return (
    <ModalDialog
      open={pending !== null}
      labelledBy="plain-export-heading"
      describedBy="plain-export-text"
      onCancel={() => pending?.answer(false)}
    >
      {pending && (
        <>
          <h2 id="plain-export-heading">This export is not encrypted</h2>
          <p id="plain-export-text">
            {pending.what} will be written as plain files. Outpost encrypts what it keeps on this
            device, but not this export: anyone who gets a copy can read them. Keep them somewhere
            only you can reach, or delete them when done.
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
    </ModalDialog>
  );
}
