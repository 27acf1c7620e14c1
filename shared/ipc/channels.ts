/**
 * The names of every IPC channel and event, with no schema code attached, so the sandboxed preload
 * can allow-list them without bundling the validation library.
 */
export const IPC_CHANNELS = [
  'app:getInfo',
  'settings:get',
  'settings:update',
  'shell:openExternal',
  'focus:getState',
  'focus:act',
  'focus:updateConfig',
  'focus:stats',
  'sync:getNetwork',
  'sync:getSettings',
  'sync:updateSettings',
  'notes:exportMarkdown',
  'backups:write',
  'backups:list',
  'backups:read',
  'backups:saveFile',
  'backups:saveMarkdown',
  'atRest:dataKey',
  'lock:setLocked',
  'lock:osAvailable',
  'lock:osUnlock',
  'migration:pending',
  'migration:finish',
] as const;

export const IPC_EVENTS = [
  'settings:changed',
  'focus:changed',
  'sync:networkChanged',
  'sync:settingsChanged',
  'backups:flush',
  'backups:changed',
  'lock:systemLocked',
] as const;

export type IpcChannel = (typeof IPC_CHANNELS)[number];
export type IpcEvent = (typeof IPC_EVENTS)[number];

/** True when `name` is a channel of the contract. */
export function isIpcChannel(name: unknown): name is IpcChannel {
  return typeof name === 'string' && (IPC_CHANNELS as readonly string[]).includes(name);
}

/** True when `name` is an event of the contract. */
export function isIpcEvent(name: unknown): name is IpcEvent {
  return typeof name === 'string' && (IPC_EVENTS as readonly string[]).includes(name);
}
