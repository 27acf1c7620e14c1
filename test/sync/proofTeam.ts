/**
 * A team of three (Ana, Bea, Cai) with fixed device keys for device-proof tests: each replica
 * builds the same signed member entries, so separate processes agree on who is who without
 * syncing first, and a replica may hold Cai's removal from the start.
 */
import type * as Y from 'yjs';
import { readTrust, upsertMember } from '../../shared/model';
import { removeAndRotate } from '../../shared/model/rotations';
import { deviceSigner, identityFromSeeds, type DeviceSigner } from '../../shared/protocol/identity';
import type { Profile } from '../../shared/schema/profile';

export const PROOF_WORKSPACE = 'ProofSpace000000001';
export const PROOF_NAMES = ['Ana', 'Bea', 'Cai'] as const;
export type ProofName = (typeof PROOF_NAMES)[number];

const people: Profile[] = PROOF_NAMES.map((name, index) => ({
  memberId: `Member${name}000000${index}`,
  displayName: name,
  color: '#2563eb',
  timeZone: 'UTC',
}));

export function proofSigner(name: ProofName): DeviceSigner {
  const seed = PROOF_NAMES.indexOf(name) + 1;
  return deviceSigner(
    identityFromSeeds(new Uint8Array(32).fill(seed), new Uint8Array(32).fill(seed + 10)),
  );
}

/** Writes the three members into `doc`, and, when `removeCai`, `by`'s removal of Cai. */
export function writeProofTeam(doc: Y.Doc, options: { removeCai: boolean; by: ProofName }): void {
  for (const [index, person] of people.entries())
    upsertMember(doc, person, 1, {
      signer: proofSigner(PROOF_NAMES[index]!),
      workspace: PROOF_WORKSPACE,
    });
  if (!options.removeCai) return;
  const by = PROOF_NAMES.indexOf(options.by);
  const removed = removeAndRotate(
    doc,
    {
      actor: people[by]!.memberId,
      signer: proofSigner(options.by),
      workspace: PROOF_WORKSPACE,
      now: () => 100,
    },
    readTrust(doc, PROOF_WORKSPACE),
    { members: [people[2]!.memberId] },
  );
  if (!removed.ok) throw new Error(removed.error.message);
}
