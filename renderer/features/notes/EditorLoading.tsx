/**
 * What the notes screen shows while a note's editor code or (schema 2) its body document loads:
 * one placeholder for both, so opening a note never flashes an empty editable text first.
 */
export function EditorLoading() {
  return (
    <div className="note-editor-loading muted" role="status">
      Loading the editor…
    </div>
  );
}
