/**
 * The keyboard shortcut sheet: `?` (outside a text field) or Ctrl+/ (anywhere) opens it, Esc or
 * the same keys close it. A native modal <dialog>, so focus stays inside while it is open and
 * returns to where it was when it closes.
 */
import { useEffect, useRef } from 'react';
import { SECTIONS } from '../store/uiSlice';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const MOD = isMac ? '⌘' : 'Ctrl';

const GROUPS: ReadonlyArray<{ title: string; keys: ReadonlyArray<[string, string]> }> = [
  {
    title: 'Anywhere',
    keys: [
      ...SECTIONS.map((section, index): [string, string] => [
        `${MOD}+${index + 1}`,
        section.charAt(0).toUpperCase() + section.slice(1),
      ]),
      [`${MOD}+N`, 'New note, goal or decision in the section you are in'],
      [`${MOD}+K`, 'Search notes and run commands'],
      [`? or ${MOD}+/`, 'This list of shortcuts'],
      ['Tab at the top', 'Skip to list'],
    ],
  },
  {
    title: 'Lists',
    keys: [
      ['↑ ↓', 'Previous or next item'],
      ['Home End', 'First or last item'],
    ],
  },
  {
    title: 'Text fields',
    keys: [
      ['Esc', 'Undo what you typed since the field was last saved'],
      [`${MOD}+Enter`, 'Save a multi-line field now'],
    ],
  },
  {
    title: 'Note editor',
    keys: [
      [`${MOD}+B`, 'Bold'],
      [`${MOD}+I`, 'Italic'],
      [`${MOD}+E`, 'Inline code'],
      [`${MOD}+Shift+K`, 'Link to a web address'],
      ['[[', 'Link to another note'],
      [`${MOD}+Z`, 'Undo'],
      [`${MOD}+Shift+Z`, 'Redo'],
    ],
  },
];

/** Whether keys typed now go into text (where `?` is a character, not a shortcut). */
function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return (
    target instanceof HTMLInputElement &&
    !['button', 'checkbox', 'radio', 'range', 'color', 'submit', 'reset'].includes(target.type)
  );
}

export function ShortcutSheet() {
  // The sheet's content never changes, so the native dialog's own `open` is its only state. With a
  // React state mirroring it, the dialog's close event (a task after Escape closed it, sometimes
  // after the next key was handled) set that state false and closed the sheet Ctrl+/ had just
  // opened again; the two could disagree in either direction.
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      const slash = mod && !event.altKey && event.key === '/';
      const question = !mod && !event.altKey && event.key === '?' && !typingInto(event.target);
      const element = dialog.current;
      if ((!slash && !question) || !element) return;
      event.preventDefault();
      if (element.open) element.close();
      else element.showModal();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <dialog ref={dialog} className="shortcut-sheet" aria-labelledby="shortcut-sheet-title">
      <div className="shortcut-sheet-head">
        <h2 id="shortcut-sheet-title">Keyboard shortcuts</h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close keyboard shortcuts"
          onClick={() => dialog.current?.close()}
        >
          ✕
        </button>
      </div>
      <div className="shortcut-groups">
        {GROUPS.map((group) => (
          <section key={group.title} aria-labelledby={`shortcuts-${group.title}`}>
            <h3 id={`shortcuts-${group.title}`}>{group.title}</h3>
            <dl>
              {group.keys.map(([keys, what]) => (
                <div key={keys} className="shortcut-row">
                  <dt>
                    <kbd>{keys}</kbd>
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </dialog>
  );
}
