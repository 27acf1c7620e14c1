/**
 * IPC schema of the app lock (renderer/features/lock/): the page decides when it locks and how it
 * is unlocked; the main process only needs to know that it is locked (so its own notifications,
 * the focus timer's, carry no content), tells the page when the system sleeps or locks its
 * screen, and asks the operating system for its user where it can (Touch ID on macOS).
 */
import { z } from 'zod';

export const LockStateInput = z.object({ locked: z.boolean() }).strict();

/** Whether this system can confirm its user for Outpost (Touch ID on macOS). */
export const OsUnlockAvailability = z.object({ available: z.boolean() });

export const OsUnlockResult = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('unlocked') }),
  /** The person cancelled or the system refused; `message` says which in the person's words. */
  z.object({ outcome: z.literal('refused'), message: z.string() }),
  z.object({ outcome: z.literal('unavailable'), message: z.string() }),
]);
export type OsUnlockResult = z.infer<typeof OsUnlockResult>;

/** The system went to sleep or locked its screen (desktop only). */
export const SystemLocked = z.object({ reason: z.enum(['suspend', 'lock-screen']) });

/**
 * What every notification says while Outpost is locked, whatever it is about: no record titles,
 * no names, no times, so a notification on a locked laptop's screen tells nothing.
 */
export const LOCKED_NOTICE = {
  title: 'Outpost',
  body: 'A reminder. Unlock Outpost to see it.',
} as const;
