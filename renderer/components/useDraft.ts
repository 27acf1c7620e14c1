import { useState } from 'react';

/**
 * Local editing state for a value that can also change underneath (another device, another field):
 * the draft follows the source whenever the source changes, and is the person's otherwise.
 * Uses React's "adjust state while rendering" pattern instead of an effect.
 */
export function useDraft<T>(source: T): [T, (value: T) => void] {
  const [draft, setDraft] = useState(source);
  const [seen, setSeen] = useState(source);
  if (!Object.is(seen, source)) {
    setSeen(source);
    setDraft(source);
  }
  return [draft, setDraft];
}
