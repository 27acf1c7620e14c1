/**
 * Measures what @roamhq/wrtc does with data-channel messages around the 256 KiB limit: two peer
 * connections in this process (run inside a test namespace), one message per size, then what
 * arrived and whether the channel is still open. Prints one JSON line. Used by webrtcLimits.test.ts.
 */
import { createRequire } from 'node:module';

interface Wrtc {
  RTCPeerConnection: typeof RTCPeerConnection;
}
const { RTCPeerConnection: Connection } = createRequire(import.meta.url)('@roamhq/wrtc') as Wrtc;

const advertised = (sdp: string | undefined) => /a=max-message-size:(\d+)/.exec(sdp ?? '')?.[1];

const sender = new Connection({ iceServers: [] });
const receiver = new Connection({ iceServers: [] });
const channel = sender.createDataChannel('limits');
const offer = await sender.createOffer();
await sender.setLocalDescription(offer);
await receiver.setRemoteDescription(offer);
const answer = await receiver.createAnswer();
// The receiver claims to take 64 MiB: the sender's own limit still applies.
const generous = {
  type: answer.type,
  sdp: answer.sdp!.replace(/a=max-message-size:\d+/, 'a=max-message-size:67108864'),
};
await receiver.setLocalDescription(answer);
await sender.setRemoteDescription(generous);
// Candidates only after both descriptions, so none is added too early.
sender.onicecandidate = (event) =>
  void (event.candidate && receiver.addIceCandidate(event.candidate));
receiver.onicecandidate = (event) =>
  void (event.candidate && sender.addIceCandidate(event.candidate));
const received: number[] = [];
receiver.ondatachannel = (event) => {
  event.channel.binaryType = 'arraybuffer';
  event.channel.onmessage = (message: MessageEvent<ArrayBuffer>) =>
    received.push(message.data.byteLength);
};
while (channel.readyState !== 'open') await new Promise((resolve) => setTimeout(resolve, 20));
const outcome: Array<{ size: number; threw: string | null; received: number[]; state: string }> =
  [];
for (const size of [262_144, 262_145]) {
  let threw: string | null = null;
  try {
    channel.send(new Uint8Array(size));
  } catch (error) {
    threw = (error as Error).name;
  }
  // The channel is ordered: a small marker after the message arrives after it, if it arrives.
  if (channel.readyState === 'open') channel.send(new Uint8Array(1));
  for (let wait = 0; wait < 100 && channel.readyState === 'open' && received.at(-1) !== 1; wait++)
    await new Promise((resolve) => setTimeout(resolve, 20));
  outcome.push({ size, threw, received: received.splice(0), state: channel.readyState });
}
process.stdout.write(
  `${JSON.stringify({ offered: advertised(offer.sdp), answered: advertised(answer.sdp), outcome })}\n`,
);
sender.close();
receiver.close();
process.exit(0);
