/**
 * Turns typed handlers into one dispatch function shared by Electron's ipcMain and the web-mode
 * companion: it rejects unknown channels and untrusted senders, validates the input against the
 * contract, and always answers with a Result, never a thrown error.
 */
import type { z } from 'zod';
import { isIpcChannel, type IpcChannel } from './channels';
import { ipcContract, type IpcOutput } from './contract';
import { fail, ok, type Result } from '../result';

/** An expected failure a handler reports to the caller, with a readable message. */
export class IpcUserError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'IpcUserError';
  }
}

export type IpcHandlers = {
  [K in IpcChannel]: (
    input: z.output<(typeof ipcContract)[K]['input']>,
  ) => IpcOutput<K> | Promise<IpcOutput<K>>;
};

export interface DispatchOptions {
  /** Decides whether the caller may use IPC at all (window, frame and origin checks). */
  isTrustedSender: (sender: unknown) => boolean;
  /** Reports unexpected handler failures; the caller only sees a generic message. */
  onError?: (channel: string, error: unknown) => void;
}

export type IpcDispatch = (
  channel: unknown,
  sender: unknown,
  input: unknown,
) => Promise<Result<unknown>>;

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((issue) =>
      issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}

/** Builds the dispatcher for the given handlers. */
export function createIpcDispatch(handlers: IpcHandlers, options: DispatchOptions): IpcDispatch {
  return async (channel, sender, input) => {
    if (!isIpcChannel(channel)) {
      return fail('unknown-channel', `Unknown IPC channel: ${String(channel).slice(0, 64)}`);
    }
    if (!options.isTrustedSender(sender)) {
      return fail('forbidden', `The caller is not allowed to use ${channel}.`);
    }
    const parsed = ipcContract[channel].input.safeParse(input);
    if (!parsed.success) {
      return fail(
        'invalid-argument',
        `Invalid argument for ${channel}: ${describeIssues(parsed.error.issues)}`,
      );
    }
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      return ok(await handler(parsed.data));
    } catch (error) {
      if (error instanceof IpcUserError) return fail(error.code, error.message);
      options.onError?.(channel, error);
      return fail('internal', `${channel} failed unexpectedly. Details are in the log.`);
    }
  };
}
