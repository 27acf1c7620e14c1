/** The app itself, loaded by main.tsx once the first storage reads are under way. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { z } from 'zod';
import { useAppStore } from './store';
import { followStorageEvents } from './features/backups/storageStore';

// The page's Content-Security-Policy forbids eval: zod would try `new Function` once (a CSP
// violation in the console) before falling back to the same checks without it.
z.config({ jitless: true });

performance.mark('outpost:app-started');
const root = document.getElementById('root');
if (!root) throw new Error('Missing #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

followStorageEvents();
void useAppStore
  .getState()
  .boot()
  .then(() => useAppStore.getState().startSync())
  .catch((error: unknown) => {
    console.error(error);
    useAppStore
      .getState()
      .notify(
        'error',
        `Outpost could not start: ${error instanceof Error ? error.message : String(error)}`,
      );
  });
