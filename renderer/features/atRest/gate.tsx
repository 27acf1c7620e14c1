/**
 * Shows the at-rest screen (AtRestGate.tsx) in the page's root until the person has unlocked or
 * chosen, then takes it down so the app can mount there. Loaded only when it is needed: with a
 * keychain, start-up never fetches React this early.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AtRestGate } from './AtRestGate';
import type { AtRestStatus } from '../../sync/atRestKeys';

export function showAtRestGate(
  status: Extract<AtRestStatus, { state: 'choose' | 'locked' | 'failed' }>,
): Promise<void> {
  const element = document.getElementById('root');
  if (!element) return Promise.reject(new Error('Missing #root element'));
  const root = createRoot(element);
  return new Promise((resolve) => {
    root.render(
      <StrictMode>
        <AtRestGate
          status={status}
          onReady={() => {
            root.unmount();
            resolve();
          }}
        />
      </StrictMode>,
    );
  });
}
