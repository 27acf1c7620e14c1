import { useEffect, useState } from 'react';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import { Placeholder } from '@tiptap/extensions';
import { safeLinkUrl } from '../../../shared/model/notesLinks';
import { contextFragment } from './decisionActions';

interface ContextEditorProps {
  readonly decisionId: string;
  readonly editable: boolean;
}

/**
 * The decision's context as collaborative rich text: TipTap bound to the record's Y.XmlFragment,
 * so concurrent edits from peers merge character by character. Undo is Yjs's (through the
 * Collaboration extension), so it never undoes a teammate's typing.
 */
export function ContextEditor({ decisionId, editable: allowed }: ContextEditorProps) {
  const [context] = useState(() => contextFragment(decisionId));
  const fragment = context?.fragment;
  // A copy (a context with problems, listed with the decision) is only ever shown.
  const editable = allowed && !context?.copy;
  const editor = useEditor(
    {
      extensions: [
        // Trailing-node insertion would write an empty paragraph into the shared document just
        // because someone opened the decision; undo is Yjs's, through Collaboration.
        StarterKit.configure({
          undoRedo: false,
          trailingNode: false,
          // The same addresses as in notes: a link to anything else is shown without its href.
          link: { isAllowedUri: (url) => safeLinkUrl(url) !== null },
        }),
        ...(fragment ? [Collaboration.configure({ fragment })] : []),
        Placeholder.configure({
          placeholder: 'What is the problem, and why decide now? Markdown shortcuts work.',
        }),
      ],
      editable,
      editorProps: {
        attributes: {
          class: 'decision-context-editor',
          'aria-label': 'Context and problem statement',
          role: 'textbox',
          'aria-multiline': 'true',
        },
      },
    },
    [fragment],
  );
  useEffect(() => {
    // No update event: toggling editability is not an edit.
    editor?.setEditable(editable, false);
  }, [editor, editable]);
  if (!fragment) return <p className="field-error">The context of this decision is unreadable.</p>;
  return <EditorContent editor={editor} className="decision-context" />;
}
