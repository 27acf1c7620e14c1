import { useEffect, useState } from 'react';
import { useFocusStore } from './focusStore';

/** The current time on the focus service's clock, ticking every `intervalMs`. */
export function useServiceNow(intervalMs = 1000): number {
  const offset = useFocusStore((state) => state.clockOffsetMs);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now + offset;
}
