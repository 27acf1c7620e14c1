/**
 * Binds an `<input>` or `<textarea>` to a stored value through a {@link DraftField}: saved as the
 * person types (see draftField.ts for when and how). Callers key the component by the record (and
 * field) it edits, as RecordDetail's callers do, so a field never saves into another record.
 */
import {
  useLayoutEffect,
  useState,
  useSyncExternalStore,
  type ChangeEvent,
  type KeyboardEvent,
} from 'react';
import type { Result } from '../../shared/result';
import { DraftField } from './draftField';

export interface SavedFieldOptions {
  /** Enter saves (single-line fields); in text areas Ctrl/⌘+Enter does. */
  readonly multiline?: boolean;
}

export interface SavedField {
  /** Spread onto the input or text area. */
  readonly props: {
    readonly value: string;
    onChange(event: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>): void;
    onFocus(): void;
    onBlur(): void;
    onKeyDown(event: KeyboardEvent<HTMLInputElement | HTMLTextAreaElement>): void;
  };
  /** Why the last save was refused, to show beside the field. */
  readonly error: string | null;
}

/**
 * `source` is the stored value; `save` writes a draft and returns the value as stored, or why it
 * was refused.
 */
export function useSavedField(
  source: string,
  save: (draft: string) => Result<string>,
  options: SavedFieldOptions = {},
): SavedField {
  const [field] = useState(() => new DraftField(source, { save }));
  // Layout effects, so a new stored value or save function is in place before the browser paints
  // or the person's next keystroke.
  useLayoutEffect(() => field.setSave(save));
  useLayoutEffect(() => field.setSource(source), [field, source]);
  useLayoutEffect(() => field.attach(), [field]);
  const state = useSyncExternalStore(field.subscribe, field.getState);
  return {
    props: {
      value: state.value,
      onChange: (event) => field.edit(event.target.value),
      onFocus: () => field.focus(),
      onBlur: () => field.blur(),
      onKeyDown: (event) => {
        if (event.key === 'Escape') field.revert();
        if (event.key === 'Enter' && (!options.multiline || event.ctrlKey || event.metaKey))
          field.flush();
      },
    },
    error: state.error,
  };
}
