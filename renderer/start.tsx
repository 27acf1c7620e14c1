import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { useAppStore } from './store';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('Missing #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
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
