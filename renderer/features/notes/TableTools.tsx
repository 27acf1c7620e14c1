/**
 * Table editing for the note editor's toolbar (TipTap's table extension): insert a table, and,
 * while the caret is in one, add or remove rows and columns or remove the table. Tab and
 * Shift+Tab move between cells (the extension's own keys).
 */
import { useEditorState, type Editor } from '@tiptap/react';

export function TableTools({ editor }: { editor: Editor }) {
  const inTable = useEditorState({ editor, selector: ({ editor: e }) => e.isActive('table') });
  const chain = () => editor.chain().focus();
  const actions: Array<[string, string, () => void]> = inTable
    ? [
        ['+ Row', 'Add a row below', () => chain().addRowAfter().run()],
        ['+ Col', 'Add a column to the right', () => chain().addColumnAfter().run()],
        ['− Row', 'Remove this row', () => chain().deleteRow().run()],
        ['− Col', 'Remove this column', () => chain().deleteColumn().run()],
        ['✕ Table', 'Remove the table', () => chain().deleteTable().run()],
      ]
    : [['▦', 'Table', () => chain().insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run()]];
  return (
    <span className="table-tools" role="group" aria-label="Table">
      {actions.map(([label, title, run]) => (
        <button
          key={title}
          type="button"
          className="tool"
          title={title}
          aria-label={title}
          onMouseDown={(event) => event.preventDefault()}
          onClick={run}
        >
          {label}
        </button>
      ))}
    </span>
  );
}
