/**
 * The Outpost relay: on one port, y-webrtc signaling (the app's own server, same limits) and the
 * blind store-and-forward mailbox at `/mailbox`. Plain Node, runnable on a small VPS or a home
 * machine (`npm run relay`, see ./main.ts); it never holds a workspace key.
 */
import {
  startSignalingServer,
  type SignalingLimits,
  type SignalingLog,
} from '../main/signaling/server';
import {
  DEFAULT_MAILBOX_LIMITS,
  createMailbox,
  type MailboxLimits,
  type MailboxStats,
} from './mailbox';
import { openMailboxStore } from './mailboxStore';

export interface RelayOptions {
  /** Folder for `mailbox.sqlite` (created if missing). */
  readonly dataDir: string;
  /** Interface to bind; 127.0.0.1 unless told otherwise. */
  readonly host?: string;
  /** TCP port; 0 picks a free one. */
  readonly port?: number;
  readonly mailbox?: Partial<MailboxLimits>;
  readonly signaling?: Partial<SignalingLimits>;
  readonly log?: SignalingLog;
}

export interface Relay {
  readonly port: number;
  /** ws://host:port — signaling at this URL, the mailbox at `${url}/mailbox`. */
  readonly url: string;
  mailboxStats(): MailboxStats;
  /** Bytes of the mailbox database and its WAL on disk. */
  diskBytes(): number;
  close(): Promise<void>;
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const limits = { ...DEFAULT_MAILBOX_LIMITS, ...options.mailbox };
  for (const [name, value] of Object.entries(limits))
    if (typeof value !== 'number' || !(value > 0))
      throw new RangeError(`Mailbox limit ${name} must be a positive number, got ${value}.`);
  const log = options.log ?? (() => {});
  const store = openMailboxStore(options.dataDir);
  const mailbox = createMailbox(store, limits, log);
  let signaling;
  try {
    signaling = await startSignalingServer({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      limits: options.signaling,
      log,
      upgrade: (request, socket, head) => mailbox.upgrade(request, socket, head),
    });
  } catch (error) {
    mailbox.close();
    store.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    port: signaling.port,
    url: signaling.url,
    mailboxStats: () => mailbox.stats(),
    diskBytes: () => store.diskBytes(),
    close() {
      closing ??= (async () => {
        mailbox.close();
        await signaling.close();
        store.close();
      })();
      return closing;
    },
  };
}
