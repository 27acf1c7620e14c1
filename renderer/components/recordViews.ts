/** The three views every record list offers (active, archived, trash) and which records each shows. */
import type { RecordView } from '../store';

export const RECORD_VIEWS: ReadonlyArray<[RecordView, string]> = [
  ['active', 'Active'],
  ['archived', 'Archived'],
  ['trash', 'Trash'],
];

/** True when a record belongs in the given view: trashed records only in the trash. */
export function inView(
  item: { readonly archived: boolean; readonly deletedAt: number | null },
  view: RecordView,
): boolean {
  if (view === 'trash') return item.deletedAt !== null;
  if (item.deletedAt !== null) return false;
  return view === 'archived' ? item.archived : !item.archived;
}
