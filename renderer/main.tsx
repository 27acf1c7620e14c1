/**
 * The renderer's entry: a small script that opens the workspace that was open last
 * (startupWorkspace.ts) and then loads the app (React, the store, the screens), which takes that
 * workspace over already loaded.
 */
import { openStartupWorkspace } from './sync/startupWorkspace';
import { prefetchDeviceValues } from './sync/deviceStore';
import { applyRememberedTheme } from './platform/startupTheme';
import { prefetchBootCalls } from './platform/outpostApi';
import './styles.css';
import './a11y.css';

applyRememberedTheme();

// The app's boot reads the device state and asks the main process for its settings first thing:
// have both answered by then.
prefetchDeviceValues();
prefetchBootCalls();

// Why not load both at once: with 10,000 notes, fetching and running the app's scripts while
// IndexedDB reads and Yjs applies the workspace slowed those down by more than it saved (the
// work shares one thread, and Yjs then decodes into a bigger heap). A workspace that takes more
// than a second to load does not hold the app, and its progress display, back.
const loaded = openStartupWorkspace();
const waited = new Promise((resolve) => setTimeout(resolve, 1000));
Promise.race([loaded, waited])
  .then(() => import('./start'))
  .catch((error: unknown) => {
    console.error(error);
    const root = document.getElementById('root');
    if (root)
      root.textContent = `Outpost could not start: ${error instanceof Error ? error.message : String(error)}. Reload to try again.`;
  });
