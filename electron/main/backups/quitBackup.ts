/**
 * On quit, asks the open window for a last backup of its workspace and waits briefly for it,
 * then lets the quit go on. Runs once per quit; with no window (or no answer) it waits at most
 * `timeoutMs`, so quitting is never held up for long.
 */
import type { BackupService } from './backupService';

export interface QuitEvent {
  preventDefault(): void;
}

export interface QuitBackupDeps {
  readonly app: {
    on(event: 'before-quit', listener: (event?: QuitEvent) => void): unknown;
    quit(): void;
  };
  readonly service: Pick<BackupService, 'nextWrite'>;
  /** Asks the renderer(s) for a backup; false when there is no window to ask. */
  requestBackup(): boolean;
  readonly timeoutMs?: number;
}

export function installQuitBackup(deps: QuitBackupDeps): void {
  let state: 'idle' | 'waiting' | 'done' = 'idle';
  deps.app.on('before-quit', (event) => {
    if (state !== 'idle' || !event) return;
    if (!deps.requestBackup()) {
      state = 'done';
      return;
    }
    state = 'waiting';
    event.preventDefault();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, deps.timeoutMs ?? 2000);
      timer.unref?.();
    });
    void Promise.race([deps.service.nextWrite(), timeout]).then(() => {
      clearTimeout(timer);
      state = 'done';
      deps.app.quit();
    });
  });
}
