/**
 * The one-line sync state of the open workspace (the sidebar indicator and the Sync page's
 * status), from plain values: the peer provider's status, the relays' statuses and which
 * signaling servers are on the internet. Relays count: a change a relay has acknowledged is
 * safe for teammates who come online later, so "no peer online" is not "not sent".
 */
import type { RelayStatus } from './relay/types';

/** What the team's relays hold, in numbers (all zero when the team lists none). */
export interface RelayCounts {
  /** Relays in use for the open workspace. */
  readonly relaysListed: number;
  /** Relays that acknowledged everything this device holds. */
  readonly relaysSaved: number;
  /** Relays connected right now. */
  readonly relaysReachable: number;
}

/** Flat on purpose: a selector compares it field by field (zustand's useShallow). */
export type SyncIndicator =
  | { readonly kind: 'local' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'paused' }
  | { readonly kind: 'offline' }
  | { readonly kind: 'lan-only' }
  | { readonly kind: 'online' }
  | ({ readonly kind: 'peers'; readonly count: number } & RelayCounts)
  /** No peer connected; at least one relay holds every change made or received here. */
  | ({ readonly kind: 'relays-saved' } & RelayCounts)
  /** No peer connected; a relay is reachable and changes are on their way up. */
  | ({ readonly kind: 'relays-sending' } & RelayCounts)
  /** No peer connected, no relay reachable, and no relay holds everything yet. */
  | ({ readonly kind: 'relays-waiting' } & RelayCounts);

export interface IndicatorInputs {
  readonly workspaceKind: 'personal' | 'local' | 'team' | null;
  /** The peer provider's status for the open workspace; null while it starts. */
  readonly team: {
    readonly online: boolean;
    readonly peers: readonly { readonly state: string }[];
    readonly signaling: readonly { readonly url: string; readonly state: string }[];
  } | null;
  readonly paused: boolean;
  readonly relays: readonly Pick<RelayStatus, 'reachable' | 'holdsAll'>[];
  /** Signaling servers on the internet (the person's, and the team's relays). */
  readonly internetServers: readonly string[];
}

/** Counts of what the relays hold. */
export function relayCounts(relays: IndicatorInputs['relays']): RelayCounts {
  return {
    relaysListed: relays.length,
    relaysSaved: relays.filter((relay) => relay.holdsAll).length,
    relaysReachable: relays.filter((relay) => relay.reachable).length,
  };
}

export function deriveIndicator(inputs: IndicatorInputs): SyncIndicator {
  if (inputs.workspaceKind !== 'team') return { kind: 'local' };
  // "Work offline" stops peers and relays alike.
  if (inputs.paused) return { kind: 'paused' };
  const team = inputs.team;
  if (!team) return { kind: 'starting' };
  if (!team.online) return { kind: 'paused' };
  const counts = relayCounts(inputs.relays);
  const peers = team.peers.filter((peer) => peer.state !== 'connecting').length;
  if (peers > 0) return { kind: 'peers', count: peers, ...counts };
  if (counts.relaysListed > 0) {
    if (counts.relaysSaved > 0) return { kind: 'relays-saved', ...counts };
    if (counts.relaysReachable > 0) return { kind: 'relays-sending', ...counts };
    return { kind: 'relays-waiting', ...counts };
  }
  const open = team.signaling.filter((socket) => socket.state === 'open').map((s) => s.url);
  if (open.length === 0) return { kind: 'offline' };
  return open.some((url) => inputs.internetServers.includes(url))
    ? { kind: 'online' }
    : { kind: 'lan-only' };
}
