import type { DamagedRecord } from '../../shared/schema/records';

/** Records that failed validation: listed, never hidden, never deleted behind the person's back. */
export function DamagedRecords({
  records,
  noun,
}: {
  readonly records: readonly DamagedRecord[];
  readonly noun: string;
}) {
  if (records.length === 0) return null;
  return (
    <details className="damaged" data-testid="damaged-records">
      <summary>
        {records.length} damaged {noun}
        {records.length === 1 ? '' : 's'} kept read-only
      </summary>
      <p>
        These records arrived or were stored in a form this version of Outpost cannot read. They are
        kept as they are so nothing is lost.
      </p>
      <ul>
        {records.map((record) => (
          <li key={record.id}>
            <strong>{record.title ? `“${record.title}”` : record.id}</strong>:{' '}
            {record.problems.join('; ')}
            <code>{record.preview}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}
