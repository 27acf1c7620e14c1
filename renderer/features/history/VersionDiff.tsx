/**
 * A version's text with what differs from another text marked line by line (jsdiff's
 * `diffLines`): lines only in the version are insertions, lines only in the other are deletions,
 * the rest is shown as it is, so the whole version can be read here.
 */
import { diffLines } from 'diff';
import { useMemo } from 'react';

interface VersionDiffProps {
  /** What the version is compared with; null shows the version alone (its first version). */
  readonly before: string | null;
  readonly after: string;
  /** What the marks mean: changes made in this version, or how it differs from the record now. */
  readonly direction: 'from-previous' | 'to-current';
}

const LEGEND = {
  'from-previous': ['added in this version', 'removed in this version'],
  'to-current': ['only in this version', 'only in the text now'],
} as const;

export function VersionDiff({ before, after, direction }: VersionDiffProps) {
  const parts = useMemo(
    () =>
      before === null ? [{ value: after, added: false, removed: false }] : diffLines(before, after),
    [before, after],
  );
  const changed = parts.some((part) => part.added || part.removed);
  const [added, removed] = LEGEND[direction];
  return (
    <div className="version-diff-wrap">
      <p className="muted version-legend">
        {before === null ? (
          'The first version kept.'
        ) : changed ? (
          <>
            <ins>added lines</ins> {added} · <del>removed lines</del> {removed}
          </>
        ) : (
          'No differences in the text.'
        )}
      </p>
      <pre className="version-diff" aria-label="Version text">
        {parts.map((part, index) =>
          part.added ? (
            <ins key={index}>{part.value}</ins>
          ) : part.removed ? (
            <del key={index}>{part.value}</del>
          ) : (
            <span key={index}>{part.value}</span>
          ),
        )}
      </pre>
    </div>
  );
}
