/**
 * Chromium's data-channel message limit, which docs/PROTOCOL.md §5.4 builds on: it advertises
 * 256 KiB and, as a sender, refuses more with a TypeError (y-webrtc ignores it, so the message is
 * silently lost) even when the other side advertises 64 MiB. @roamhq/wrtc's side is in
 * test/sync/webrtcLimits.test.ts. Two peer connections in one page, inside a test namespace (no
 * ICE candidates without a default route).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_PATH } from './harness';
import { TWO_PEOPLE_ARGS, twoPeopleReady } from './twoPeople';
import { createNetns, type NetNamespace } from '../sync/netns';
import { STOCK_MAX_MESSAGE_BYTES } from '../../renderer/sync/peer/pieceFetch';

const ready = twoPeopleReady('the Chromium data-channel limit test');

describe.runIf(ready)('Chromium data-channel message limit', () => {
  let netns: NetNamespace;
  let browser: Browser;
  beforeAll(async () => {
    netns = createNetns();
    browser = await chromium.launch({
      executablePath: netns.wrapper(CHROMIUM_PATH),
      args: TWO_PEOPLE_ARGS,
    });
  });
  afterAll(async () => {
    await browser?.close();
    netns?.destroy();
  });

  it('advertises 256 KiB and refuses to send one byte more, whatever the other side accepts', async () => {
    const page = await browser.newPage();
    const result = await page.evaluate(async (limit) => {
      const advertised = (sdp: string | undefined) =>
        /a=max-message-size:(\d+)/.exec(sdp ?? '')?.[1];
      const sender = new RTCPeerConnection({ iceServers: [] });
      const receiver = new RTCPeerConnection({ iceServers: [] });
      sender.onicecandidate = (event) =>
        void (event.candidate && receiver.addIceCandidate(event.candidate).catch(() => {}));
      receiver.onicecandidate = (event) =>
        void (event.candidate && sender.addIceCandidate(event.candidate).catch(() => {}));
      const channel = sender.createDataChannel('limits');
      const offer = await sender.createOffer();
      await sender.setLocalDescription(offer);
      await receiver.setRemoteDescription(offer);
      const answer = await receiver.createAnswer();
      await receiver.setLocalDescription(answer);
      await sender.setRemoteDescription({
        type: 'answer',
        sdp: answer.sdp!.replace(/a=max-message-size:\d+/, 'a=max-message-size:67108864'),
      });
      const received: number[] = [];
      receiver.ondatachannel = (event) => {
        event.channel.binaryType = 'arraybuffer';
        event.channel.onmessage = (message: MessageEvent<ArrayBuffer>) =>
          received.push(message.data.byteLength);
      };
      while (channel.readyState !== 'open') await new Promise((resolve) => setTimeout(resolve, 20));
      const outcome = [];
      for (const size of [limit, limit + 1]) {
        let threw: string | null = null;
        try {
          channel.send(new Uint8Array(size));
        } catch (error) {
          threw = (error as Error).name;
        }
        // Ordered channel: the marker arrives after the message, if that was sent.
        channel.send(new Uint8Array(1));
        while (received.at(-1) !== 1) await new Promise((resolve) => setTimeout(resolve, 20));
        outcome.push({ size, threw, received: received.splice(0), state: channel.readyState });
      }
      sender.close();
      receiver.close();
      return {
        offered: advertised(offer.sdp),
        answered: advertised(answer.sdp),
        maxMessageSize: sender.sctp?.maxMessageSize,
        outcome,
      };
    }, STOCK_MAX_MESSAGE_BYTES);
    expect(result).toEqual({
      offered: String(STOCK_MAX_MESSAGE_BYTES),
      answered: String(STOCK_MAX_MESSAGE_BYTES),
      maxMessageSize: STOCK_MAX_MESSAGE_BYTES,
      outcome: [
        {
          size: STOCK_MAX_MESSAGE_BYTES,
          threw: null,
          received: [STOCK_MAX_MESSAGE_BYTES, 1],
          state: 'open',
        },
        { size: STOCK_MAX_MESSAGE_BYTES + 1, threw: 'TypeError', received: [1], state: 'open' },
      ],
    });
  });
});
