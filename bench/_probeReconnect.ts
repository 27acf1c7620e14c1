import { createRequire } from 'node:module';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { notes } from '../shared/model';
import { createWorkspaceSecrets, deriveRoomName, deriveSignalingPassword } from '../shared/protocol/keys';
import { PeerSync, type WebSocketConstructor } from '../renderer/sync/peer/peerSync';
import { startSignalingServer } from '../electron/main/signaling/server';

const ctx = { actor: 'bench-member' };
const server = await startSignalingServer({ host: '127.0.0.1', port: 0 });
const wrtc: unknown = createRequire(import.meta.url)('@roamhq/wrtc');
const N = Number(process.env.N ?? 40);
const EDITS = Number(process.env.EDITS ?? 1000);
let stalls = 0;
for (let run = 0; run < N; run++) {
  const { secretKey } = createWorkspaceSecrets();
  const roomName = await deriveRoomName(secretKey);
  const password = await deriveSignalingPassword(secretKey);
  const logs: string[] = [];
  const peers = ['A', 'B'].map((tag) => {
    const doc = new Y.Doc();
    const sync = new PeerSync({ doc, awareness: new Awareness(doc), roomName, password, signaling: [server.url], iceServers: [], wrtc,
      WebSocket: WebSocket as unknown as WebSocketConstructor, log: (m: string) => logs.push(`${(performance.now()|0)} ${tag} ${m}`) } as any);
    sync.disconnect();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) { const c = notes.create(doc, ctx, { title: `${tag} ${i}` }); if (c.ok) ids.push(c.value.id); }
    for (let i = 0; i < EDITS - 20; i++) notes.update(doc, ctx, ids[i % 20]!, { title: `${tag} e ${i}` });
    return { doc, sync, tag };
  });
  const t0 = performance.now();
  for (const p of peers) p.sync.connect();
  const sv = (d: Y.Doc) => Buffer.from(Y.encodeStateVector(d)).toString('base64');
  let ok = false;
  while (performance.now() - t0 < 20000) {
    if (sv(peers[0]!.doc) === sv(peers[1]!.doc)) { ok = true; break; }
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - t0;
  if (!ok) {
    stalls++;
    console.log(`RUN ${run} STALL`);
    for (const p of peers) console.log(p.tag, JSON.stringify(p.sync.status()));
    console.log(logs.join('\n'));
  } else console.log(`RUN ${run} ok ${ms.toFixed(0)} ms`);
  for (const p of peers) p.sync.destroy();
  await new Promise((r) => setTimeout(r, 100));
}
console.log(`stalls ${stalls}/${N}`);
await server.close();
process.exit(0);
