/** The sync state in words (label, longer detail, tone), for the sidebar and the Sync page. */
import type { SyncIndicator as Indicator, RelayCounts } from '../../sync/syncIndicator';

/** Words and tone of the sync state, shared by the sidebar indicator and the Sync page. */
export function describeIndicator(indicator: Indicator): {
  label: string;
  detail: string;
  tone: 'off' | 'lan' | 'ok' | 'idle';
} {
  switch (indicator.kind) {
    case 'local':
      return {
        label: 'Not shared',
        detail: 'This workspace stays on this device. Team workspaces sync with teammates.',
        tone: 'idle',
      };
    case 'starting':
      return { label: 'Starting sync…', detail: 'Opening the connection to peers.', tone: 'idle' };
    case 'paused':
      return {
        label: 'Offline (paused)',
        detail: 'You chose to work offline. Changes are kept and sent when you go online.',
        tone: 'off',
      };
    case 'offline':
      return {
        label: 'Offline',
        detail: 'No signaling server is reachable. Changes are kept and sent when a peer is found.',
        tone: 'off',
      };
    case 'lan-only':
      return {
        label: 'LAN only',
        detail: 'Looking for teammates on this local network. No internet servers are in use.',
        tone: 'lan',
      };
    case 'online':
      return {
        label: 'Online, no peers',
        detail: 'Connected to signaling; no teammate is online right now.',
        tone: 'lan',
      };
    case 'peers':
      return {
        label: `Connected to ${indicator.count} ${indicator.count === 1 ? 'peer' : 'peers'}`,
        detail: `Changes are exchanged with your teammates as you make them.${relaysDetail(indicator)}`,
        tone: 'ok',
      };
    case 'relays-saved':
      return {
        label: `Saved to ${relayCount(indicator)}`,
        detail: `No teammate is online right now. Every change on this device is on ${relayCount(indicator)}, where teammates get it when they come online.`,
        tone: 'ok',
      };
    case 'relays-sending':
      return {
        label: 'Sending to relays…',
        detail: 'No teammate is online right now. Changes are on their way to the relays.',
        tone: 'lan',
      };
    case 'relays-waiting':
      return {
        label: 'Waiting for relay',
        detail: `No teammate is online and no relay is reachable. Changes are kept here and sent when ${indicator.relaysListed === 1 ? 'the relay' : 'a relay'} or a teammate is reachable.`,
        tone: 'off',
      };
  }
}

/** "2 relays", or "1 of 2 relays" when some relay still lacks changes. */
function relayCount(counts: RelayCounts): string {
  const { relaysSaved: saved, relaysListed: listed } = counts;
  const noun = listed === 1 ? 'relay' : 'relays';
  return saved === listed ? `${saved} ${noun}` : `${saved} of ${listed} ${noun}`;
}

function relaysDetail(counts: RelayCounts): string {
  if (counts.relaysListed === 0) return '';
  if (counts.relaysSaved === 0) return ' The relays do not have every change yet.';
  return ` Everything is also saved to ${relayCount(counts)}.`;
}
