/**
 * The body the editor binds to, wherever it lives. Embedded in its record (schema 1) it is there
 * at once, as before. As a document of its own (schema 2) it is loaded from the lazy store
 * (`session.bodies.load`) and held while the editor shows it: until it is there the editor shows
 * its loading state rather than an empty editable text (typing before the content arrives would
 * interleave with it), and it is released when the note closes or another opens. A load that
 * finishes after its note was left is released at once, so switching notes fast leaks nothing.
 * A loaded body holding what the editor cannot show faithfully is shown as a read-only copy: the
 * binding would delete what it cannot map, from the shared document (the notes index says so
 * too, but may not have read this body yet).
 */
import { useEffect, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { bodyFragment, type BodyDocuments } from '../../../shared/model/bodyDocuments';
import { inspectBody } from '../../../shared/model/notesBody';
import { useAppStore } from '../../store';
import { detachedBody, liveBody } from './notesActions';
import { detachedCopy } from './noteBodies';

export type BodyMode = 'live' | 'copy';

export type NoteBodyState =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly fragment: Y.XmlFragment }
  /** Content the editor cannot show safely: a read-only copy, and what was found. */
  | {
      readonly state: 'unsafe';
      readonly fragment: Y.XmlFragment;
      readonly problems: readonly string[];
    }
  /** The note has no readable body (a damaged record). */
  | { readonly state: 'missing' }
  | { readonly state: 'failed'; readonly message: string };

const LOADING: NoteBodyState = { state: 'loading' };
const MISSING: NoteBodyState = { state: 'missing' };

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}

function failed(error: unknown): NoteBodyState {
  return {
    state: 'failed',
    message: `This note’s text could not be opened (${messageOf(error)}).`,
  };
}

/** The fragment of a loaded body document, or why it cannot be shown (a root of another type). */
function fragmentOf(doc: Y.Doc, mode: BodyMode): NoteBodyState {
  try {
    const fragment = bodyFragment(doc);
    if (mode === 'copy') return { state: 'ready', fragment: detachedCopy(fragment) };
    const problems = inspectBody(fragment);
    if (problems.length > 0) return { state: 'unsafe', fragment: detachedCopy(fragment), problems };
    return { state: 'ready', fragment };
  } catch (error) {
    return failed(error);
  }
}

/**
 * Holds body document `id` for as long as the returned stop function is not called, reporting
 * what to show through `show` (never after `stop`). In `copy` mode the document is only read.
 */
export function holdBody(
  bodies: BodyDocuments,
  id: string,
  mode: BodyMode,
  show: (state: NoteBodyState) => void,
): () => void {
  let stopped = false;
  let held = false;
  if (mode === 'copy') {
    bodies
      .read(id, (doc) => fragmentOf(doc, 'copy'))
      .then(
        (state) => !stopped && show(state),
        (error: unknown) => !stopped && show(failed(error)),
      );
  } else {
    bodies.load(id).then(
      (doc) => {
        if (stopped) {
          bodies.release(id);
          return;
        }
        held = true;
        show(fragmentOf(doc, 'live'));
      },
      (error: unknown) => !stopped && show(failed(error)),
    );
  }
  return () => {
    stopped = true;
    if (held) bodies.release(id);
    held = false;
  };
}

interface Loaded {
  readonly bodies: BodyDocuments;
  readonly id: string;
  readonly mode: BodyMode;
  readonly state: NoteBodyState;
}

/** The body of note `id` for the editor, in `mode` (`copy`: a detached copy, read-only). */
export function useNoteBody(id: string, mode: BodyMode): NoteBodyState {
  const bodies = useAppStore((state) => state.session?.bodies ?? null);
  const embedded = useMemo(
    () => (bodies ? null : mode === 'live' ? liveBody(id) : detachedBody(id)),
    [bodies, id, mode],
  );
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    if (!bodies) return;
    return holdBody(bodies, id, mode, (state) => setLoaded({ bodies, id, mode, state }));
  }, [bodies, id, mode]);
  if (!bodies) return embedded ? { state: 'ready', fragment: embedded } : MISSING;
  // A state loaded for another note (or session) is never shown for this one.
  const current = loaded?.bodies === bodies && loaded.id === id && loaded.mode === mode;
  return current ? loaded.state : LOADING;
}
