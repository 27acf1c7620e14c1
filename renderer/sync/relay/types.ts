/** What the relay client remembers per relay and what it reports (renderer/sync/relay/). */

/** Where a relay left off, kept per relay URL and workspace. */
export interface RelayCursor {
  /** Every envelope with a sequence number up to this one has been applied here. */
  readonly after: number;
  /** State vector (Yjs v1 encoding) of what this relay holds as far as this device knows. */
  readonly acked: Uint8Array;
  /** Nothing was waiting for an acknowledgement when this was saved. */
  readonly clean: boolean;
}

/** Small storage the caller provides (localStorage in the app, a Map in tests). */
export interface RelayCursorStore {
  load(relayUrl: string): Promise<RelayCursor | null> | RelayCursor | null;
  save(relayUrl: string, cursor: RelayCursor): Promise<void> | void;
}

export interface RelayStatus {
  readonly url: string;
  /** `refused`: the relay turned this workspace away (wrong key or version); retried with backoff. */
  readonly state: 'connecting' | 'online' | 'offline' | 'refused';
  readonly reachable: boolean;
  /** When the relay last acknowledged an upload (ms since the epoch), or null. */
  readonly lastUpload: number | null;
  /** When this device last finished downloading from the relay, or null. */
  readonly lastDownload: number | null;
  /** Updates not yet acknowledged by this relay. */
  readonly waiting: number;
  /**
   * The relay has acknowledged everything this device's document holds, as far as this device
   * knows (what it uploaded or downloaded there): a teammate can get all of it from this relay.
   */
  readonly holdsAll: boolean;
  /** Envelopes that did not open with this workspace's key (skipped). */
  readonly unreadable: number;
  /** The last problem, in words, or null. */
  readonly error: string | null;
}
