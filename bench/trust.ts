/**
 * What counting only signed votes costs (docs/PROTOCOL.md §8.4). A decision with 200 votes from
 * 20 members, each on their own device: the verified tally the first time (every signature
 * checked), again (verdicts remembered), against the plain tally of the same casts. And one
 * Ed25519 verification by @noble/curves (what the model uses: synchronous, the same on every
 * replica) against WebCrypto's (asynchronous). Medians of interleaved runs.
 */
import * as Y from 'yjs';
import { ed25519 } from '@noble/curves/ed25519.js';
import {
  castVote,
  decisions,
  readTrust,
  tallyVotes,
  upsertMember,
  verifiedTally,
} from '../shared/model';
import { deviceSigner, identityFromSeeds } from '../shared/protocol/identity';
import type { Decision } from '../shared/schema/records';
import { median, type BenchResult } from './report';

const MEMBERS = 20;
const VOTES_EACH = 10;
const RUNS = 5;
const WORKSPACE = 'BenchWorkspace00001';

/** A fresh decision (new ids, so nothing is remembered from an earlier run) with its votes. */
function decisionWithVotes(run: number): { doc: Y.Doc; decision: Decision } {
  const doc = new Y.Doc();
  const people = Array.from({ length: MEMBERS }, (_, index) => ({
    profile: {
      memberId: `BenchMember${String(index).padStart(4, '0')}`,
      displayName: `Person ${index}`,
      color: '#2563eb',
      timeZone: 'UTC',
    },
    signer: deviceSigner(
      identityFromSeeds(new Uint8Array(32).fill(index + 1), new Uint8Array(32).fill(run + 1)),
    ),
  }));
  for (const { profile, signer } of people)
    upsertMember(doc, profile, 1, { signer, workspace: WORKSPACE });
  const lead = { actor: people[0]!.profile.memberId, now: () => 2, ...people[0]! };
  const created = decisions.create(doc, { ...lead, workspace: WORKSPACE }, { title: 'Bench' });
  if (!created.ok) throw new Error(created.error.message);
  decisions.update(doc, { ...lead, workspace: WORKSPACE }, created.value.id, {
    status: 'proposed',
  });
  for (let round = 0; round < VOTES_EACH; round++)
    for (const { profile, signer } of people)
      castVote(
        doc,
        { actor: profile.memberId, now: () => 10 + round, signer, workspace: WORKSPACE },
        created.value.id,
        { choice: round % 2 ? 'agree' : 'disagree' },
      );
  const read = decisions.get(doc, created.value.id);
  if (!read?.ok) throw new Error('unreadable');
  return { doc, decision: read.value };
}

function time(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

export async function benchTrust(): Promise<BenchResult[]> {
  const cold: number[] = [];
  const warm: number[] = [];
  const plain: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const { doc, decision } = decisionWithVotes(run);
    plain.push(time(() => tallyVotes(decision.votes, decision.closesAt)));
    cold.push(time(() => verifiedTally(readTrust(doc, WORKSPACE), decision)));
    warm.push(time(() => verifiedTally(readTrust(doc, WORKSPACE), decision)));
  }
  const key = new Uint8Array(32).fill(9);
  const publicKey = ed25519.getPublicKey(key);
  const messages = Array.from({ length: 200 }, (_, i) => new TextEncoder().encode(`m${i}`));
  const signatures = messages.map((message) => ed25519.sign(message, key));
  const webKey = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, [
    'verify',
  ]);
  const noble: number[] = [];
  const web: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    noble.push(
      time(() =>
        messages.forEach((m, i) => ed25519.verify(signatures[i]!, m, publicKey, { zip215: false })),
      ) / messages.length,
    );
    const started = performance.now();
    for (const [i, m] of messages.entries())
      await crypto.subtle.verify({ name: 'Ed25519' }, webKey, signatures[i]!, m);
    web.push((performance.now() - started) / messages.length);
  }
  const votes = MEMBERS * VOTES_EACH;
  return [
    {
      id: 'trust.tally.cold',
      value: median(cold),
      unit: 'ms',
      baseline: median(plain),
      ratio: median(cold) / median(plain),
      note: `${votes} signed votes, every signature checked; baseline: the plain tally`,
    },
    {
      id: 'trust.tally.warm',
      value: median(warm),
      unit: 'ms',
      baseline: median(plain),
      ratio: median(warm) / median(plain),
      note: 'the same again: verdicts remembered, device lists read again',
    },
    {
      id: 'trust.verify.one',
      value: median(noble),
      unit: 'ms',
      baseline: median(web),
      ratio: median(noble) / median(web),
      note: 'one Ed25519 verification, @noble/curves strict; baseline: WebCrypto (async)',
    },
  ];
}
