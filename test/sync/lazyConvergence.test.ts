/**
 * Convergence of lazy documents (fast-check): several replicas, each a real provider (PeerSync)
 * with in-memory storage (memoryLazyDocs.ts), joined by stand-ins for data channels
 * (lazyLink.ts). Random steps create documents, edit bodies concurrently, connect and disconnect
 * pairs (partitions, also in the middle of an exchange) and let some messages through between
 * steps; then every pair connects afresh and, once every exchange is done and nothing is in
 * flight, every replica holds the same documents with the same content and state. The exchange,
 * its messages, the pacing and the live edits all run as in the app; only WebRTC is left out
 * (lazyPeers.test.ts covers it). fast-check prints the seed and the shrunk steps on failure.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { connect, lazyProvider, until, type Channel, type Side } from './lazyLink';
import { MemoryLazyDocs } from './memoryLazyDocs';

const REPLICAS = 4;
const DOCS = 10;
const docId = (n: number) => `doc${String(n).padStart(19, '0')}`;
/** Small batches and window, so pacing and acknowledgements happen with a few documents. */
const lazyLimits = { batchBytes: 256, windowBytes: 1024, maxListed: 1000 };

interface Replica {
  readonly docs: MemoryLazyDocs;
  readonly side: Side;
  readonly clientID: number;
}

type Step =
  | {
      readonly kind: 'write';
      readonly replica: number;
      readonly doc: number;
      readonly text: string;
    }
  | { readonly kind: 'delete'; readonly replica: number; readonly doc: number }
  | { readonly kind: 'connect'; readonly a: number; readonly b: number }
  | { readonly kind: 'disconnect'; readonly a: number; readonly b: number }
  | { readonly kind: 'turns'; readonly count: number };

const replicaIndex = fc.integer({ min: 0, max: REPLICAS - 1 });
const StepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('write' as const),
    replica: replicaIndex,
    doc: fc.integer({ min: 0, max: DOCS - 1 }),
    text: fc.string({ minLength: 1, maxLength: 40 }),
  }),
  fc.record({
    kind: fc.constant('delete' as const),
    replica: replicaIndex,
    doc: fc.integer({ min: 0, max: DOCS - 1 }),
  }),
  fc.record({ kind: fc.constant('connect' as const), a: replicaIndex, b: replicaIndex }),
  fc.record({ kind: fc.constant('disconnect' as const), a: replicaIndex, b: replicaIndex }),
  fc.record({ kind: fc.constant('turns' as const), count: fc.integer({ min: 1, max: 6 }) }),
);

const sides: Side[] = [];
afterEach(() => {
  for (const side of sides.splice(0)) side.sync.destroy();
});

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const pairKey = (a: number, b: number) => `${Math.min(a, b)}-${Math.max(a, b)}`;

function replicas(): Replica[] {
  return Array.from({ length: REPLICAS }, (_, index) => {
    const docs = new MemoryLazyDocs(undefined, 3);
    const side = lazyProvider(docs, { lazyLimits });
    sides.push(side);
    return { docs, side, clientID: 1000 + index };
  });
}

function apply(step: Step, all: Replica[], channels: Map<string, Channel>): Promise<void> | void {
  switch (step.kind) {
    case 'write': {
      const { docs, clientID } = all[step.replica]!;
      docs.edit(
        docId(step.doc),
        (doc) => {
          const body = doc.getText('body');
          body.insert(Math.floor(body.length / 2), step.text);
        },
        clientID,
      );
      return;
    }
    case 'delete': {
      const { docs, clientID } = all[step.replica]!;
      if (!docs.docs.has(docId(step.doc))) return;
      docs.edit(
        docId(step.doc),
        (doc) => {
          const body = doc.getText('body');
          body.delete(0, Math.min(3, body.length));
        },
        clientID,
      );
      return;
    }
    case 'connect': {
      const key = pairKey(step.a, step.b);
      if (step.a === step.b || channels.has(key)) return;
      const [a, b] = [Math.min(step.a, step.b), Math.max(step.a, step.b)];
      channels.set(key, connect(all[a]!.side, all[b]!.side, [`r${a}`, `r${b}`]));
      return;
    }
    case 'disconnect': {
      const channel = channels.get(pairKey(step.a, step.b));
      channels.delete(pairKey(step.a, step.b));
      channel?.close();
      return;
    }
    case 'turns':
      return (async () => {
        for (let i = 0; i < step.count; i++) await nextTurn();
      })();
  }
}

/** Every exchange done and nothing in flight or being stored, for a few turns in a row. */
function quiet(channels: Map<string, Channel>): boolean {
  for (const { atA, atB } of channels.values()) {
    for (const end of [atA, atB]) {
      if (end.lazy?.phase !== 'done' || end.lazy.storingBytes > 0) return false;
      if (!end.idle || end.inboundBytes > 0) return false;
    }
  }
  return true;
}

async function settle(channels: Map<string, Channel>): Promise<boolean> {
  let quietTurns = 0;
  return until(() => {
    quietTurns = quiet(channels) ? quietTurns + 1 : 0;
    return quietTurns >= 5;
  }, 30_000);
}

describe('lazy documents across replicas with partitions', () => {
  it('converge to the same documents on every replica', async () => {
    const seed = process.env.OUTPOST_SEED ? Number(process.env.OUTPOST_SEED) : undefined;
    await fc.assert(
      fc.asyncProperty(fc.array(StepArb, { minLength: 5, maxLength: 40 }), async (steps) => {
        const all = replicas();
        const channels = new Map<string, Channel>();
        try {
          for (const step of steps) await apply(step, all, channels);
          // The partitions heal: every pair connects afresh (a reconnect lists again).
          for (const channel of channels.values()) channel.close();
          channels.clear();
          for (let a = 0; a < REPLICAS; a++)
            for (let b = a + 1; b < REPLICAS; b++) apply({ kind: 'connect', a, b }, all, channels);
          expect(await settle(channels)).toBe(true);
          const expected = all[0]!.docs.snapshot();
          const written = new Set(
            steps.flatMap((step) => (step.kind === 'write' ? [docId(step.doc)] : [])),
          );
          expect(Object.keys(expected).sort()).toEqual([...written].sort());
          for (const replica of all.slice(1)) expect(replica.docs.snapshot()).toEqual(expected);
          for (const replica of all) expect(replica.side.logs).toEqual([]);
        } finally {
          for (const channel of channels.values()) channel.close();
          for (const side of sides.splice(0)) side.sync.destroy();
        }
      }),
      { numRuns: 40, ...(seed !== undefined ? { seed } : {}) },
    );
  }, 240_000);
});
