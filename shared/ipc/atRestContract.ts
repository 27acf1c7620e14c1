/**
 * IPC schema of encryption at rest: the page asks the main process for the device's data key,
 * which the OS keychain keeps (electron/main/atRest/dataKeyStore.ts). The page seals and opens
 * everything itself (it owns the documents); the main process never holds team data.
 */
import { z } from 'zod';

export const DataKeyAnswer = z.discriminatedUnion('protection', [
  /** The keychain keeps the key: 32 bytes, unpadded base64url. */
  z.object({ protection: z.literal('keychain'), key: z.string().regex(/^[A-Za-z0-9_-]{43}$/) }),
  /** No keychain protects a key here (web mode, Linux without a secret service). */
  z.object({ protection: z.literal('unavailable'), reason: z.string() }),
]);
export type DataKeyAnswer = z.infer<typeof DataKeyAnswer>;
