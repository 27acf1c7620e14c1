/**
 * `[[` links between notes. A link is an inline atom node `noteLink` with the target's id and the
 * title it had when linked (docs/PROTOCOL.md §1.4.1). It shows the target's current title, or its
 * `alias` when it has one (an imported Obsidian `[[Title|alias]]`); a link whose target is in the
 * trash or gone is shown struck through as broken, and kept.
 * Typing `[[` opens suggestions by title (via @tiptap/suggestion), with "Create note …" last.
 * Following a link to a note that does not exist (an imported `[[Title]]` nothing matched, a note
 * deleted forever) offers to create it, and points the link at the new note.
 */
import { Node, mergeAttributes, type Editor, type Range } from '@tiptap/core';
import { Suggestion, type SuggestionKeyDownProps, type SuggestionProps } from '@tiptap/suggestion';
import { PluginKey } from '@tiptap/pm/state';
import { computePosition, flip, offset, shift } from '@floating-ui/dom';
import type { LinkTarget } from '../../../shared/model/notesLinks';

export interface LinkChoice {
  readonly kind: 'note' | 'create';
  readonly id: string;
  readonly title: string;
}

export interface NoteLinkOptions {
  /** The target of a link as it is now. */
  resolve(noteId: string): LinkTarget;
  /** Subscribes to changes of note titles and states; returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Opens the linked note. */
  open(noteId: string): void;
  /** Notes to offer for a query. */
  suggest(query: string): LinkChoice[];
  /** Creates a note with this title for "Create note …"; returns its id or null. */
  create(title: string): string | null;
}

const suggestionKey = new PluginKey('noteLinkSuggestion');

/**
 * The small dialog a link to a missing note opens: what is wrong and "Create this note". It
 * closes on Escape, on a click outside and after the choice.
 */
class MissingLinkMenu {
  private readonly root = document.createElement('div');
  private readonly offDocument: () => void;

  constructor(anchor: HTMLElement, title: string, create: (() => void) | null) {
    this.root.className = 'link-missing';
    this.root.setAttribute('role', 'dialog');
    this.root.setAttribute('aria-label', 'Missing note');
    const text = document.createElement('p');
    text.textContent = title
      ? `There is no note called “${title}”.`
      : 'The note this link pointed to was deleted.';
    this.root.append(text);
    const buttons = document.createElement('div');
    buttons.className = 'link-missing-actions';
    if (create) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'button primary';
      button.textContent = 'Create this note';
      button.addEventListener('click', () => {
        this.destroy();
        create();
      });
      buttons.append(button);
    }
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'button';
    cancel.textContent = create ? 'Cancel' : 'Close';
    cancel.addEventListener('click', () => this.destroy());
    buttons.append(cancel);
    this.root.append(buttons);
    document.body.append(this.root);
    const onDown = (event: MouseEvent) => {
      if (!this.root.contains(event.target as HTMLElement) && event.target !== anchor)
        this.destroy();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') this.destroy();
    };
    document.addEventListener('mousedown', onDown, true);
    document.addEventListener('keydown', onKey, true);
    this.offDocument = () => {
      document.removeEventListener('mousedown', onDown, true);
      document.removeEventListener('keydown', onKey, true);
    };
    void computePosition(anchor, this.root, {
      strategy: 'fixed',
      placement: 'bottom-start',
      middleware: [offset(6), flip(), shift({ padding: 8 })],
    }).then(({ x, y }) => {
      this.root.style.left = `${x}px`;
      this.root.style.top = `${y}px`;
    });
    (buttons.firstElementChild as HTMLElement | null)?.focus();
  }

  destroy(): void {
    this.offDocument();
    this.root.remove();
  }
}

function describe(target: LinkTarget, label: string): { text: string; broken: string | null } {
  if (target.state === 'ok') return { text: target.note.title || 'Untitled', broken: null };
  if (target.state === 'trashed')
    return { text: target.note.title || label || 'Untitled', broken: 'This note is in the trash' };
  return { text: label || 'Missing note', broken: 'The linked note was deleted' };
}

/** The suggestion popup: a listbox positioned under the caret with Floating UI. */
class SuggestionMenu {
  private readonly root = document.createElement('div');
  private items: LinkChoice[] = [];
  private active = 0;
  private command: ((choice: LinkChoice) => void) | null = null;

  constructor() {
    this.root.className = 'link-suggestions';
    this.root.setAttribute('role', 'listbox');
    this.root.setAttribute('aria-label', 'Link to note');
    document.body.append(this.root);
  }

  update(props: SuggestionProps<LinkChoice>): void {
    this.items = props.items;
    this.command = (choice) => props.command(choice);
    this.active = Math.min(this.active, Math.max(0, this.items.length - 1));
    this.render();
    const rect = props.clientRect?.();
    if (!rect) return;
    const reference = { getBoundingClientRect: () => rect };
    void computePosition(reference, this.root, {
      placement: 'bottom-start',
      middleware: [offset(6), flip(), shift({ padding: 8 })],
    }).then(({ x, y }) => {
      this.root.style.left = `${x}px`;
      this.root.style.top = `${y}px`;
    });
  }

  private render(): void {
    this.root.replaceChildren();
    if (this.items.length === 0) {
      const empty = document.createElement('div');
      empty.className = 'link-suggestion empty-choice';
      empty.textContent = 'Type a title to link a note';
      this.root.append(empty);
      return;
    }
    this.items.forEach((item, index) => {
      const option = document.createElement('div');
      option.className = 'link-suggestion';
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', String(index === this.active));
      option.textContent =
        item.kind === 'create' ? `+ Create note “${item.title}”` : item.title || 'Untitled';
      option.addEventListener('mousedown', (event) => {
        event.preventDefault();
        this.command?.(item);
      });
      this.root.append(option);
    });
  }

  keyDown({ event }: SuggestionKeyDownProps): boolean {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (this.items.length === 0) return true;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + this.items.length) % this.items.length;
      this.render();
      return true;
    }
    if (event.key === 'Enter' || event.key === 'Tab') {
      const item = this.items[this.active];
      if (item) this.command?.(item);
      return item !== undefined;
    }
    return false;
  }

  destroy(): void {
    this.root.remove();
  }
}

export const NoteLink = Node.create<NoteLinkOptions>({
  name: 'noteLink',
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,

  addOptions() {
    return {
      resolve: () => ({ state: 'missing' }),
      subscribe: () => () => {},
      open: () => {},
      suggest: () => [],
      create: () => null,
    };
  },

  addAttributes() {
    return {
      noteId: {
        default: '',
        parseHTML: (element) => element.getAttribute('data-note-id') ?? '',
        renderHTML: (attributes) => ({ 'data-note-id': attributes.noteId as string }),
      },
      label: {
        default: '',
        parseHTML: (element) => element.getAttribute('data-label') ?? element.textContent ?? '',
        renderHTML: (attributes) => ({ 'data-label': attributes.label as string }),
      },
      // The text an Obsidian `[[Title|alias]]` shows instead of the title (imported links).
      alias: {
        default: null,
        parseHTML: (element) => element.getAttribute('data-alias'),
        renderHTML: (attributes) =>
          typeof attributes.alias === 'string' ? { 'data-alias': attributes.alias } : {},
      },
    };
  },

  parseHTML() {
    return [{ tag: 'span[data-note-link]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    return [
      'span',
      mergeAttributes(HTMLAttributes, { 'data-note-link': '' }),
      `[[${String(node.attrs.label)}${typeof node.attrs.alias === 'string' ? `|${node.attrs.alias}` : ''}]]`,
    ];
  },

  renderText({ node }) {
    return `[[${String(node.attrs.label)}]]`;
  },

  addNodeView() {
    const options = this.options;
    return ({ node, getPos, editor }) => {
      let current = node;
      const dom = document.createElement('span');
      dom.setAttribute('data-note-link', '');
      dom.setAttribute('role', 'link');
      dom.tabIndex = -1;
      const paint = () => {
        const noteId = String(current.attrs.noteId ?? '');
        const shown = describe(options.resolve(noteId), String(current.attrs.label ?? ''));
        const alias = typeof current.attrs.alias === 'string' ? current.attrs.alias.trim() : '';
        const text = alias || shown.text;
        dom.textContent = text;
        dom.className = shown.broken ? 'note-link broken' : 'note-link';
        dom.title = shown.broken ?? `Open “${shown.text}”`;
        dom.setAttribute('aria-label', shown.broken ? `${text} (broken link)` : text);
      };
      paint();
      const unsubscribe = options.subscribe(paint);
      let menu: MissingLinkMenu | null = null;
      dom.addEventListener('click', (event) => {
        event.preventDefault();
        const noteId = String(current.attrs.noteId ?? '');
        if (options.resolve(noteId).state !== 'missing') return options.open(noteId);
        menu?.destroy();
        const label = String(current.attrs.label ?? '').trim();
        const create =
          editor.isEditable && label
            ? () => {
                const id = options.create(label);
                if (!id) return;
                const pos = getPos();
                if (typeof pos === 'number')
                  editor
                    .chain()
                    .command(({ tr }) => {
                      tr.setNodeMarkup(pos, undefined, { ...current.attrs, noteId: id });
                      return true;
                    })
                    .run();
                options.open(id);
              }
            : null;
        menu = new MissingLinkMenu(dom, label, create);
      });
      return {
        dom,
        update(updated) {
          if (updated.type !== current.type) return false;
          current = updated;
          paint();
          return true;
        },
        destroy: () => {
          unsubscribe();
          menu?.destroy();
        },
        ignoreMutation: () => true,
      };
    };
  },

  addProseMirrorPlugins() {
    const options = this.options;
    const insert = (editor: Editor, range: Range, choice: LinkChoice) => {
      const id = choice.kind === 'create' ? options.create(choice.title) : choice.id;
      if (!id) return;
      editor
        .chain()
        .focus()
        .insertContentAt(range, [
          { type: 'noteLink', attrs: { noteId: id, label: choice.title } },
          { type: 'text', text: ' ' },
        ])
        .run();
    };
    return [
      Suggestion<LinkChoice, LinkChoice>({
        pluginKey: suggestionKey,
        editor: this.editor,
        char: '[[',
        allowSpaces: true,
        allowedPrefixes: null,
        items: ({ query }) => options.suggest(query.replace(/\]+$/, '')),
        command: ({ editor, range, props }) => insert(editor, range, props),
        render: () => {
          let menu: SuggestionMenu | null = null;
          return {
            onStart: (props) => {
              menu = new SuggestionMenu();
              menu.update(props);
            },
            onUpdate: (props) => menu?.update(props),
            onKeyDown: (props) => {
              if (props.event.key === 'Escape') {
                menu?.destroy();
                menu = null;
                return true;
              }
              return menu?.keyDown(props) ?? false;
            },
            onExit: () => {
              menu?.destroy();
              menu = null;
            },
          };
        },
      }),
    ];
  },
});
