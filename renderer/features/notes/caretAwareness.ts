/**
 * The awareness the editor's caret plugin (CollaborationCaret → y-tiptap's yCursorPlugin) sees:
 * the workspace's own, except that it does not hear about this device's own changes.
 *
 * The plugin answers every awareness 'change' by dispatching a transaction of its own on the next
 * tick, to redraw teammates' carets. Each keystroke moves this device's caret in awareness, so
 * every keystroke was followed by a second full transaction (every plugin view, the toolbar's
 * state, the carets' decorations) that changed nothing: this device's own caret is never drawn.
 *
 * Where each body is a document of its own (schema 2), a caret's relative position can name the
 * body's root type (`body`, at the end of the text), which every note's body document has: a
 * teammate's caret in one note would be drawn in another. `inNote` keeps the carets of the people
 * whose presence says they have that note open (their `location`, docs/PROTOCOL.md "Presence").
 * It also leaves out this device's own state: the plugin skips the state whose client id is its
 * document's, which is the workspace document's only while bodies are embedded in it.
 */
import type { Awareness } from 'y-protocols/awareness';

type Listener = (...args: unknown[]) => void;

/** y-protocols' Awareness emits local changes with this origin (setLocalState). */
const LOCAL_ORIGIN = 'local';

/** Whether an awareness state says its device shows note `noteId`. */
function showsNote(state: Record<string, unknown>, noteId: string): boolean {
  const location = state.location as { section?: unknown; recordId?: unknown } | null | undefined;
  return location?.section === 'notes' && location.recordId === noteId;
}

export function remoteChangesOnly(awareness: Awareness, inNote?: string): Awareness {
  const wrapped = new WeakMap<Listener, Listener>();
  const wrap = (listener: Listener): Listener => {
    let inner = wrapped.get(listener);
    if (!inner) {
      inner = (changes, origin) => {
        if (origin !== LOCAL_ORIGIN) listener(changes, origin);
      };
      wrapped.set(listener, inner);
    }
    return inner;
  };
  return new Proxy(awareness, {
    get(target, property, receiver) {
      if (property === 'on' || property === 'off') {
        return (name: string, listener: Listener) =>
          name === 'change'
            ? target[property](name, wrap(listener))
            : target[property](name as 'update', listener);
      }
      if (property === 'getStates' && inNote !== undefined) {
        return () => {
          const states = new Map<number, Record<string, unknown>>();
          target.getStates().forEach((state, clientId) => {
            if (clientId !== target.clientID && showsNote(state, inNote))
              states.set(clientId, state);
          });
          return states;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as Listener).bind(target) : value;
    },
  });
}
