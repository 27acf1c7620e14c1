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
  /** The body documents through this relay; absent when the workspace keeps bodies embedded. */
  readonly bodies?: RelayBodiesStatus;
}

/** What one relay holds of one body document, as far as this device knows. */
export interface RelayDocCursor {
  /** State vector (Yjs v1 encoding) of what this relay holds of the document. */
  readonly acked: Uint8Array;
  /** Nothing of this document was waiting for an acknowledgement when this was saved. */
  readonly clean: boolean;
}

/**
 * Where the body documents' cursors are kept per relay (IndexedDB in the app, a Map in tests):
 * the room-wide cursor of the relay's bodies connection and, per body, what the relay holds. Read
 * and written a page of ids at a time, so 100,000 bodies are never all in memory.
 */
export interface RelayDocCursorStore {
  /** The bodies connection's cursor for this relay (0 when none was saved). */
  loadAfter(relayUrl: string): Promise<number>;
  /** The saved cursors of those of `ids` that have one. */
  load(relayUrl: string, ids: readonly string[]): Promise<Map<string, RelayDocCursor>>;
  /** Saves the cursor and the given documents' cursors together (one transaction). */
  save(relayUrl: string, after: number, docs: ReadonlyMap<string, RelayDocCursor>): Promise<void>;
}

/** How a relay's body documents are doing (present when the relay carries lazy documents). */
export interface RelayBodiesStatus {
  /** Connected, downloaded up to the relay's head, and every stored body compared. */
  readonly caughtUp: boolean;
  /** Body updates not yet acknowledged by this relay (queued or in flight). */
  readonly waiting: number;
  /** Envelopes of bodies applied from this relay in this session. */
  readonly downloaded: number;
  /** Body envelopes this relay acknowledged in this session. */
  readonly uploaded: number;
  /** Updates storage refused (`LazyUpdateRefused`: not rich text, too large, not a note here). */
  readonly refused: number;
  /** Envelopes that did not open with this workspace's key (skipped). */
  readonly unreadable: number;
  /** Bodies received before the root named their note, waiting for it. */
  readonly held: number;
}
