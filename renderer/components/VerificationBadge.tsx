/**
 * What a reader is told about an entry that carries authorship (a vote, a status change, a
 * check-in, a profile) when its signature does not verify (docs/PROTOCOL.md §8.5). Unsigned entries
 * from earlier versions get a quiet grey badge: they are expected after an upgrade and say
 * nothing bad about anyone. Unverified ones get a warning badge and the reason in words.
 */
import { ShieldExclamationPoint, ShieldQuestionMark } from 'lucide-react';
import type { Verification } from '../../shared/model';

export const UNSIGNED_EXPLANATION =
  'Written by an earlier version of Outpost, before entries were signed, so it cannot be checked. Nothing is wrong with it otherwise.';

/** "Ana’s", or "your" for the person themselves (`name` gives "you" for them). */
function possessive(author: string): string {
  return author.toLowerCase() === 'you' ? 'your' : `${author}’s`;
}

/** The sentence explaining a verdict; null when the entry verified. */
export function verificationText(verification: Verification, author: string): string | null {
  if (verification.state === 'verified') return null;
  if (verification.state === 'unsigned') return UNSIGNED_EXPLANATION;
  const reason = verification.reason.replace('this person’s', possessive(author));
  const who = author.toLowerCase() === 'you' ? 'you' : author;
  return `Unverified: ${reason}. Someone other than ${who} may have written it.`;
}

export function VerificationBadge({
  verification,
  author,
  explain = false,
}: {
  readonly verification: Verification;
  /** The author's name, used in the explanation. */
  readonly author: string;
  /** Shows the explanation beside the badge, not only as its tooltip. */
  readonly explain?: boolean;
}) {
  const text = verificationText(verification, author);
  if (text === null) return null;
  const unsigned = verification.state === 'unsigned';
  return (
    <span className="verification">
      <span className={`badge ${unsigned ? 'trust-unsigned' : 'trust-unverified'}`} title={text}>
        {unsigned ? (
          <ShieldQuestionMark size={11} aria-hidden="true" />
        ) : (
          <ShieldExclamationPoint size={11} aria-hidden="true" />
        )}{' '}
        {unsigned ? 'unsigned' : 'unverified'}
      </span>
      {explain && <span className="verification-text">{text}</span>}
    </span>
  );
}
