/**
 * Team workspaces on this device: creating and joining them, their invite codes, and the sync
 * provider that runs while one is open. The provider gets the derived room name and password,
 * the LAN servers found by mDNS plus this device's own server, the internet servers the person
 * added and the team's relays (never a public default), and only the STUN/TURN servers the person
 * added: the team's own TURN server first, then those of the device's network settings.
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { IceServerSetting, SyncNetwork, SyncSettings } from '../../shared/ipc/syncContract';
import { decodeInvite, encodeInvite, type Invite } from '../../shared/protocol/invite';
import { restricts, type InviteTerms } from '../../shared/protocol/inviteTerms';
import type { InviteUseTerms } from '../../shared/model/inviteUses';
import { fromBase64Url, toBase64Url } from '../../shared/protocol/bytes';
import {
  createWorkspaceSecrets,
  deriveSignalingPassword,
  secretKeyFromText,
  secretKeyToText,
} from '../../shared/protocol/keys';
import { nextRoomChangeAt, roomNamesAt } from '../../shared/protocol/roomEpoch';
import { isTurnUsable, MAX_RELAYS } from '../../shared/protocol/teamNetwork';
import type { Result } from '../../shared/result';
import type { LazyDocs } from './peer/lazyDocs';
import { fail, ok } from '../../shared/result';
import type { WorkspaceEntry } from './localState';
import type { IceServer, PeerSync } from './peer/peerSync';
import { teamPeerAuth } from './teamPeerAuth';
import type { DeviceSigner } from '../../shared/protocol/identity';
import { usableRelayUrls } from './relay/relayUrl';

const SHARED_KEY_PREFIX = 'outpost.sync.shared.';

/** A new team workspace entry with fresh secrets. */
export function newTeamEntry(name: string): WorkspaceEntry {
  const { workspaceId, secretKey } = createWorkspaceSecrets();
  return {
    id: workspaceId,
    name,
    kind: 'team',
    createdAt: Date.now(),
    secretKey: secretKeyToText(secretKey),
    relays: [],
    turn: null,
  };
}

/**
 * The entry a decoded invite creates on this device at `now`, with the relays and TURN it carries,
 * and for a code that expires or is for one person the use this device makes of it (its terms and
 * the time, which the device signs for its teammates, §1.9).
 */
export function entryFromInvite(invite: Invite, now = Date.now()): WorkspaceEntry {
  const terms = invite.terms;
  return {
    ...(restricts(terms)
      ? {
          joinedWith: {
            inviteId: terms.id,
            at: now,
            expiresAt: terms.expiresAt,
            singleUse: terms.singleUse,
          },
        }
      : {}),
    id: invite.workspaceId,
    name: invite.name.slice(0, 80) || 'Team workspace',
    kind: 'team',
    createdAt: now,
    secretKey: secretKeyToText(invite.secretKey),
    relays: [...invite.relays],
    turn: invite.turn ? { ...invite.turn, urls: [...invite.turn.urls], relayOnly: false } : null,
  };
}

/**
 * The use of a restricted invite this device made to join `entry`, or null when it joined (or
 * made the workspace) otherwise. An entry from before uses carried terms was a single-use join
 * made when the entry was.
 */
export function inviteUseTerms(entry: WorkspaceEntry): InviteUseTerms | null {
  const joined = entry.joinedWith;
  if (!joined) return null;
  return {
    invite: joined.inviteId,
    at: joined.at ?? entry.createdAt,
    expiresAt: joined.expiresAt,
    singleUse: joined.singleUse,
  };
}

/**
 * A team already on this device, with what a newer invite adds: relays it does not list yet (up to
 * the limit) and the invite's TURN server when the team has no usable one. A TURN server the
 * person set up stays as it is. Null when the invite adds nothing.
 */
export function withInviteReach(entry: WorkspaceEntry, invite: Invite): WorkspaceEntry | null {
  const relays = [...entry.relays];
  for (const url of invite.relays)
    if (!relays.includes(url) && relays.length < MAX_RELAYS) relays.push(url);
  const takeTurn = invite.turn !== null && !isTurnUsable(entry.turn);
  if (relays.length === entry.relays.length && !takeTurn) return null;
  return {
    ...entry,
    relays,
    turn:
      takeTurn && invite.turn
        ? { ...invite.turn, urls: [...invite.turn.urls], relayOnly: entry.turn?.relayOnly ?? false }
        : entry.turn,
  };
}

/** Reads a pasted invite code; failures carry the message to show. */
export function readInvite(text: string): Result<Invite> {
  return decodeInvite(text);
}

/**
 * The invite code of a team workspace, or a failure for other kinds. It carries the team's relays
 * and its TURN server once complete (version 2), and an expiry when `terms` has one (version 3);
 * a team with none of these gets a version 1 code, which builds from before version 2 can still
 * join with.
 */
export function inviteFor(
  entry: WorkspaceEntry,
  name: string,
  terms: InviteTerms | null = null,
): Result<string> {
  const key = entry.secretKey ? secretKeyFromText(entry.secretKey) : undefined;
  if (entry.kind !== 'team' || !key)
    return fail('not-team', 'Only team workspaces have an invite code.');
  const turn = isTurnUsable(entry.turn)
    ? { urls: entry.turn.urls, username: entry.turn.username, credential: entry.turn.credential }
    : null;
  return ok(
    encodeInvite({
      workspaceId: entry.id,
      secretKey: key,
      name,
      relays: entry.relays,
      turn,
      terms,
    }),
  );
}

/**
 * The signaling servers a team's provider uses: own LAN server, discovered ones, the person's,
 * then the team's relays. A relay serves y-webrtc signaling at its own address (the mailbox is at
 * its `/mailbox`), so two teammates online at once across the internet meet through any relay
 * they share and sync directly, not only through the mailbox.
 */
export function signalingUrls(
  network: SyncNetwork | null,
  settings: SyncSettings | null,
  entry: Pick<WorkspaceEntry, 'relays'> | null,
): string[] {
  const urls: string[] = [];
  if (network?.localServer.url) urls.push(network.localServer.url);
  for (const server of network?.lanServers ?? []) urls.push(server.url);
  for (const url of settings?.signalingServers ?? []) urls.push(url);
  urls.push(...usableRelayUrls(entry?.relays ?? []));
  return [...new Set(urls)];
}

/** Signaling servers on the internet, not the LAN: the person's and the team's relays. */
export function internetSignalingUrls(
  settings: SyncSettings | null,
  entry: Pick<WorkspaceEntry, 'relays'> | null,
): string[] {
  return [...(settings?.signalingServers ?? []), ...usableRelayUrls(entry?.relays ?? [])];
}

/**
 * The STUN/TURN servers a team's connections use: the team's TURN server when it is complete,
 * then the ones in this device's network settings. Never a public default.
 */
export function iceServersFor(
  entry: Pick<WorkspaceEntry, 'turn'>,
  settings: SyncSettings | null,
): IceServer[] {
  const team: IceServer[] = isTurnUsable(entry.turn)
    ? [
        {
          urls: [...entry.turn.urls],
          username: entry.turn.username,
          credential: entry.turn.credential,
        },
      ]
    : [];
  const device = (settings?.iceServers ?? []).map((server: IceServerSetting) => ({
    urls: server.urls,
    ...(server.username ? { username: server.username } : {}),
    ...(server.credential ? { credential: server.credential } : {}),
  }));
  return [...team, ...device];
}

/** Whether the team's connections go only through TURN (the person asked, and TURN is usable). */
export function relayOnlyFor(entry: Pick<WorkspaceEntry, 'turn'>): boolean {
  return isTurnUsable(entry.turn) && entry.turn.relayOnly;
}

/** Starts the provider of an open team workspace. */
export async function startTeamSync(options: {
  readonly entry: WorkspaceEntry;
  readonly doc: Y.Doc;
  /** The workspace's body documents, exchanged after the root with peers that speak them. */
  readonly lazyDocs: LazyDocs | null;
  readonly awareness: Awareness;
  readonly signaling: readonly string[];
  readonly iceServers: readonly IceServer[];
  readonly relayOnly: boolean;
  /** This device's signing key: peers are asked to prove theirs, and removed devices refused. */
  readonly signer: DeviceSigner | null;
}): Promise<PeerSync> {
  const key = options.entry.secretKey ? secretKeyFromText(options.entry.secretKey) : undefined;
  if (!key) throw new Error('This team workspace has no valid secret key on this device.');
  const [[roomName], password, { PeerSync }] = await Promise.all([
    roomNamesAt(key, Date.now()),
    deriveSignalingPassword(key),
    // The provider (simple-peer, signaling crypto, framing) loads only when a team workspace
    // opens: personal workspaces never fetch it, and it stays out of the first bundle.
    import('./peer/peerSync'),
  ]);
  const stored = localStorage.getItem(SHARED_KEY_PREFIX + options.entry.id);
  const provider = new PeerSync({
    doc: options.doc,
    ...(options.lazyDocs ? { lazyDocs: options.lazyDocs } : {}),
    awareness: options.awareness,
    roomName: roomName ?? '',
    // This week's room, and last week's too for the first hour of a week (roomEpoch.ts).
    rooms: { roomsAt: (ms) => roomNamesAt(key, ms), nextChangeAt: nextRoomChangeAt },
    password,
    signaling: options.signaling,
    iceServers: options.iceServers,
    relayOnly: options.relayOnly,
    sharedStateVector: stored ? (fromBase64Url(stored) ?? null) : null,
    log: (message) => console.warn(`[sync] ${message}`),
    ...(options.signer
      ? {
          auth: teamPeerAuth(
            options.doc,
            options.entry.id,
            options.signer,
            inviteUseTerms(options.entry),
          ),
        }
      : {}),
  });
  let timer: ReturnType<typeof setTimeout> | null = null;
  provider.onShared((stateVector) => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      localStorage.setItem(SHARED_KEY_PREFIX + options.entry.id, toBase64Url(stateVector));
    }, 1000);
  });
  return provider;
}

/** Forgets what a removed workspace had shared. */
export function forgetShared(id: string): void {
  localStorage.removeItem(SHARED_KEY_PREFIX + id);
}

/** A short description of this device for peers ("Linux · Chrome"). */
export function deviceLabel(shell: 'electron' | 'web' | undefined): string {
  const ua = navigator.userAgent;
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Mac OS X/.test(ua)
      ? 'macOS'
      : /Android/.test(ua)
        ? 'Android'
        : /Linux/.test(ua)
          ? 'Linux'
          : 'Unknown system';
  if (shell === 'electron') return `${os} · desktop app`;
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrom(e|ium)\//.test(ua)
        ? 'Chromium'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'browser';
  return `${os} · ${browser}`;
}
