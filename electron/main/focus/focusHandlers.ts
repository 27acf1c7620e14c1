/**
 * The focus channels of the IPC contract, answered by the focus service. Arguments arrive
 * validated by the dispatcher; a refused action becomes a failed Result with the engine's sentence.
 */
import { IpcUserError, type IpcHandlers } from '../../../shared/ipc/dispatch';
import type { FocusService } from './focusService';

export type FocusHandlers = Pick<
  IpcHandlers,
  'focus:getState' | 'focus:act' | 'focus:updateConfig' | 'focus:stats'
>;

function unavailable(): never {
  throw new IpcUserError('unavailable', 'The focus timer is not running in this process.');
}

/** The handlers; without a service (some tests) every focus call fails with a clear message. */
export function createFocusHandlers(service: FocusService | undefined): FocusHandlers {
  if (!service) {
    return {
      'focus:getState': unavailable,
      'focus:act': unavailable,
      'focus:updateConfig': unavailable,
      'focus:stats': unavailable,
    };
  }
  return {
    'focus:getState': () => service.snapshot(),
    'focus:act': async (action) => {
      const result = await service.act(action);
      if (!result.ok) throw new IpcUserError(result.error.code, result.error.message);
      return result.value;
    },
    'focus:updateConfig': (update) => service.updateConfig(update),
    'focus:stats': ({ since }) => service.stats(since),
  };
}
