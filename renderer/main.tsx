/**
 * The renderer's entry: a small script that takes over what a file:// build stored (once, on the
 * desktop), works out this device's key for encryption at rest
 * (atRestKeys.ts; with no keychain, the person's passphrase first), then opens the workspace that
 * was open last (startupWorkspace.ts) and loads the app (React, the store, the screens), which
 * takes that workspace over already loaded.
 */
import { openStartupWorkspace, startupFirstScreenStored } from './sync/startupWorkspace';
import { prefetchDeviceValues } from './sync/deviceStore';
import { applyRememberedTheme } from './platform/startupTheme';
import { prefetchBootCalls } from './platform/outpostApi';
import { startAtRest } from './sync/atRestKeys';
import { importOldOrigin } from './platform/originImport';
import { loadLockSettings } from './features/lock/lockSettings';
import './styles.css';
import './a11y.css';

applyRememberedTheme();

// Boot asks the main process for its settings first thing: have that answered by then.
prefetchBootCalls();

function showFailure(error: unknown): void {
  console.error(error);
  const root = document.getElementById('root');
  if (root)
    root.textContent = `Outpost could not start: ${error instanceof Error ? error.message : String(error)}. Reload to try again.`;
}

async function start(): Promise<void> {
  // What a desktop build that loaded file:// stored is taken over first (a one-time move), so
  // everything below reads it as this origin's own.
  await importOldOrigin();
  // Nothing stored is read before the key is known: device values and rows are sealed with it.
  const keys = await startAtRest();
  if (keys.state !== 'ready') {
    const { showAtRestGate } = await import('./features/atRest/gate');
    await showAtRestGate(keys);
  }
  // The app's boot reads the device state first thing: have it read by then.
  prefetchDeviceValues();
  // Before the app's first render: a device set to lock starts locked (features/lock/).
  await loadLockSettings().catch((error: unknown) => console.warn('Lock settings unread', error));
  // Why not load both at once: with 10,000 notes, fetching and running the app's scripts while
  // IndexedDB reads and Yjs applies the workspace slowed those down by more than it saved (the
  // work shares one thread, and Yjs then decodes into a bigger heap). A workspace that takes more
  // than a second to load does not hold the app, and its progress display, back. One whose notes
  // list has its first screen stored is not opened here at all: the app paints the list from
  // that row, which it must get to before Yjs takes the thread, and then opens the workspace.
  if (!(await startupFirstScreenStored())) {
    const loaded = openStartupWorkspace();
    const waited = new Promise((resolve) => setTimeout(resolve, 1000));
    await Promise.race([loaded, waited]);
  }
  await import('./start');
}

start().catch(showFailure);
