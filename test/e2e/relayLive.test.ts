/**
 * Two teammates online at the same time whose only server in common is a relay: no LAN server,
 * no mDNS, no signaling server of their own in common. The relay's signaling (at its own address,
 * beside the mailbox) is what brings them together, as it would across the internet. Ana adds
 * the relay in Sync → Relays; Ben joins with her invite code, which carries it. Both show
 * "Connected to 1 peer"; then the relay is killed with SIGKILL and a note Ana writes still
 * reaches Ben, so it travelled over their WebRTC connection, not through the mailbox.
 *
 * Real WebRTC between two Chromium instances in a private network namespace
 * (../shared/docs/TESTING.md); the relay is the real program (`npm run relay`) in that namespace.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_DIR, writeNote } from './harness';
import { closeSide, nav, onboardAs, startSide, twoPeopleReady, type Side } from './twoPeople';
import { createNetns, type NetNamespace } from '../sync/netns';
import { startRelayChild, type RelayChild } from '../sync/relayChild';
import { addRelay, createTeam, indicator, joinTeam, readInvite, relayRow } from './relaySteps';

/** Nothing but what the person adds: this device hosts no server and looks for none. */
const NO_LAN = { lanServer: { enabled: false, port: 0 }, lanDiscovery: false };
const TEAM = 'Lisbon and Manila';

describe.runIf(twoPeopleReady('relay signaling tests'))(
  'teammates with only a relay in common meet through its signaling and sync live',
  () => {
    let netns: NetNamespace;
    let relay: RelayChild;
    let relayDir: string;
    let ana: Side | undefined;
    let ben: Side | undefined;

    beforeAll(async () => {
      await mkdir(SCREENSHOT_DIR, { recursive: true });
      netns = createNetns();
      relayDir = await mkdtemp(path.join(tmpdir(), 'outpost-e2e-relay-live-'));
      relay = await startRelayChild(relayDir, 0, [], netns);
    });

    afterAll(async () => {
      await closeSide(ana);
      await closeSide(ben);
      await relay?.kill9();
      netns?.destroy();
      if (relayDir) await rm(relayDir, { recursive: true, force: true });
    }, 60_000);

    it(
      'Ana and Ben connect through the relay, and a note reaches Ben with the relay gone',
      {
        timeout: 240_000,
      },
      async () => {
        [ana, ben] = await Promise.all([
          startSide(netns, 0, { syncSettings: NO_LAN }),
          startSide(netns, 0, { syncSettings: NO_LAN, colorScheme: 'dark' }),
        ]);
        await Promise.all([
          onboardAs(ana.page, { name: 'Ana' }),
          onboardAs(ben.page, { name: 'Ben' }),
        ]);

        await ana.page.getByRole('button', { name: /^Sync: / }).click();
        await createTeam(ana.page, TEAM);
        await addRelay(ana.page, relay.url);
        const invite = await readInvite(ana.page);

        await ben.page.getByRole('button', { name: /^Sync: / }).click();
        await joinTeam(ben.page, invite, TEAM);
        // The invite carried the relay: Ben did not add it.
        await relayRow(ben.page, relay.url).filter({ hasText: 'reachable' }).waitFor();

        for (const side of [ana, ben])
          await indicator(side.page, 'Connected to 1 peer').waitFor({ timeout: 60_000 });
        await ana.page
          .getByRole('list', { name: 'Connected peers' })
          .getByRole('listitem')
          .filter({ hasText: 'Ben' })
          .filter({ hasText: 'in sync' })
          .waitFor({ timeout: 30_000 });
        await ana.page.screenshot({
          path: path.join(SCREENSHOT_DIR, 'relay-signaling-sync-light.png'),
          fullPage: true,
        });
        await ben.page.screenshot({
          path: path.join(SCREENSHOT_DIR, 'relay-signaling-sync-dark.png'),
          fullPage: true,
        });

        // With the relay gone, only the peer connection can carry what Ana writes now.
        await relay.kill9();
        await relayRow(ana.page, relay.url).filter({ hasText: 'not reachable' }).waitFor();
        await indicator(ana.page, 'Connected to 1 peer').waitFor();
        await nav(ana.page, 'Notes').click();
        await writeNote(ana.page, 'Standup moves to 09:00 Lisbon');
        await nav(ben.page, 'Notes').click();
        await ben.page
          .getByRole('option', { name: /Standup moves to 09:00 Lisbon/ })
          .waitFor({ timeout: 30_000 });

        expect(ana.errors).toEqual([]);
        expect(ben.errors).toEqual([]);
      },
    );
  },
);
