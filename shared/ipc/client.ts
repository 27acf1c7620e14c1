/**
 * Builds the `window.outpost` API from a transport: Electron's ipcRenderer in the preload, HTTP in
 * web mode. Only channels and events of the contract pass; anything the other side answers that is
 * not a Result becomes a failed Result, so callers never see a thrown error or a malformed reply.
 */
import { isIpcChannel, isIpcEvent, type IpcChannel, type IpcEvent } from './channels';
import type { IpcEventPayload, IpcInput, IpcOutput, OutpostApi } from './contract';
import { fail, type Result } from '../result';

export interface IpcTransport {
  invoke(channel: IpcChannel, input: unknown): Promise<unknown>;
  subscribe(event: IpcEvent, listener: (payload: unknown) => void): () => void;
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const record = value as Record<string, unknown>;
  if (record.ok === true) return 'value' in record;
  if (record.ok !== false || typeof record.error !== 'object' || record.error === null)
    return false;
  const error = record.error as Record<string, unknown>;
  return typeof error.code === 'string' && typeof error.message === 'string';
}

/** Creates the typed API over a transport. */
export function createOutpostApi(transport: IpcTransport): OutpostApi {
  return {
    async invoke<K extends IpcChannel>(
      channel: K,
      input: IpcInput<K>,
    ): Promise<Result<IpcOutput<K>>> {
      if (!isIpcChannel(channel))
        return fail('unknown-channel', `Unknown IPC channel: ${String(channel)}`);
      try {
        const reply = await transport.invoke(channel, input);
        if (!isResult(reply)) return fail('bad-reply', `${channel} returned a malformed reply.`);
        return reply as Result<IpcOutput<K>>;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return fail(
          'unreachable',
          `Could not reach the Outpost service for ${channel}: ${message}`,
        );
      }
    },
    on<E extends IpcEvent>(event: E, listener: (payload: IpcEventPayload<E>) => void): () => void {
      if (!isIpcEvent(event)) throw new Error(`Unknown IPC event: ${String(event)}`);
      return transport.subscribe(event, (payload) => listener(payload as IpcEventPayload<E>));
    },
  };
}
