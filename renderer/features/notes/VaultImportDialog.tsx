/**
 * The vault import's questions and answers, in a modal dialog: "these files were imported
 * before — update those notes or import copies?", and after import what came over and, per file,
 * what did not and why.
 */
import { useModalDialog } from '../../components/useModalDialog';
import { closeVaultImport, finishVaultImport, useVaultImport } from './vaultImportActions';

export function VaultImportDialog() {
  const current = useVaultImport((state) => state.current);
  const dialog = useModalDialog(current.stage === 'confirm' || current.stage === 'done');

  return (
    <dialog
      ref={dialog}
      className="shortcut-sheet vault-import"
      aria-labelledby="vault-import-title"
      // A close event comes a task after the dialog closed; by then the import may have finished
      // and opened it again for its report, which a late close must not take away.
      onClose={() => {
        if (!dialog.current?.open) closeVaultImport();
      }}
    >
      {current.stage === 'confirm' && (
        <>
          <h2 id="vault-import-title">Update notes imported before?</h2>
          <p>
            {current.known === current.plan.notes.length
              ? `All ${current.known} notes of this folder were imported before.`
              : `${current.known} of the ${current.plan.notes.length} notes of this folder were imported before.`}{' '}
            Updating replaces their title, tags and text with the files’ (each note’s history keeps
            what it held); importing as new makes copies beside them.
          </p>
          <div className="vault-import-actions">
            <button
              type="button"
              className="button primary"
              autoFocus
              onClick={() => void finishVaultImport(current.plan, true)}
            >
              Update {current.known} note{current.known === 1 ? '' : 's'}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => void finishVaultImport(current.plan, false)}
            >
              Import as new notes
            </button>
            <button type="button" className="button" onClick={closeVaultImport}>
              Cancel
            </button>
          </div>
        </>
      )}
      {current.stage === 'done' && (
        <>
          <h2 id="vault-import-title">Import finished</h2>
          <p role="status">{current.summary}</p>
          {current.report.length === 0 ? (
            <p>Everything in the folder came over.</p>
          ) : (
            <section aria-labelledby="vault-import-report">
              <h3 id="vault-import-report">Not carried over</h3>
              <ul className="vault-import-report">
                {current.report.map((file) => (
                  <li key={file.path}>
                    <strong>{file.path}</strong>
                    <ul>
                      {file.items.map((item) => (
                        <li key={item}>{item}</li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <div className="vault-import-actions">
            <button type="button" className="button primary" autoFocus onClick={closeVaultImport}>
              Close
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
