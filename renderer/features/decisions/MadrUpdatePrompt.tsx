/** Asked when MADR files were imported before: update those decisions, or import copies? */
export function MadrUpdatePrompt({
  known,
  onUpdate,
  onCopy,
  onCancel,
}: {
  readonly known: readonly string[];
  readonly onUpdate: () => void;
  readonly onCopy: () => void;
  readonly onCancel: () => void;
}) {
  const shown =
    known.slice(0, 3).join(', ') + (known.length > 3 ? ` and ${known.length - 3} more` : '');
  return (
    <div className="import-report" role="alertdialog" aria-labelledby="madr-update-heading">
      <div className="import-report-head">
        <strong id="madr-update-heading">
          {known.length === 1 ? 'This file was' : `${known.length} files were`} imported before
        </strong>
      </div>
      <p>
        {shown}. Updating brings their decisions’ text, options, people and tags up to date with the
        files (votes, status and history stay); importing as new adds copies.
      </p>
      <div className="inline-form">
        <button type="button" className="button small primary" autoFocus onClick={onUpdate}>
          Update {known.length === 1 ? 'the decision' : `${known.length} decisions`}
        </button>
        <button type="button" className="button small" onClick={onCopy}>
          Import as new
        </button>
        <button type="button" className="button small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
