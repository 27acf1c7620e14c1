import type { StateCreator } from 'zustand';
import type * as Y from 'yjs';
import { decisions, goals, notes, type Collection, type ModelContext } from '../../shared/model';
import { ok, type Result } from '../../shared/result';
import type { RecordKind } from '../../shared/schema/records';
import { writeAs } from './writeGateway';
import type { AppState, RecordOfKind, RecordsSlice } from './types';

type AnyCollection = Collection<{ id: string }, unknown, unknown>;

const collections: Record<RecordKind, AnyCollection> = {
  note: notes as unknown as AnyCollection,
  goal: goals as unknown as AnyCollection,
  decision: decisions as unknown as AnyCollection,
};

export const createRecordsSlice: StateCreator<AppState, [], [], RecordsSlice> = (_set, get) => {
  /** Runs a model write on the collection of `kind`, through the one write gateway. */
  function write<T>(
    run: (collection: AnyCollection, doc: Y.Doc, ctx: ModelContext) => Result<T>,
    kind: RecordKind,
  ): Result<T> {
    return writeAs(get(), (doc, ctx) => run(collections[kind], doc, ctx));
  }

  return {
    createRecord(kind, title) {
      const result = write((collection, doc, ctx) => collection.create(doc, ctx, { title }), kind);
      if (result.ok) get().select(kind, result.value.id);
      return result.ok ? ok({ id: result.value.id }) : result;
    },
    updateRecord<K extends RecordKind>(kind: K, id: string, patch: Record<string, unknown>) {
      // The collection of `kind` reads records of that kind (the table above pairs them).
      return write(
        (collection, doc, ctx) => collection.update(doc, ctx, id, patch),
        kind,
      ) as Result<RecordOfKind[K]>;
    },
    setArchived(kind, id, archived) {
      return write((collection, doc, ctx) => collection.archive(doc, ctx, id, archived), kind);
    },
    trashRecord(kind, id) {
      return write((collection, doc, ctx) => collection.remove(doc, ctx, id), kind);
    },
    restoreRecord(kind, id) {
      return write((collection, doc, ctx) => collection.restore(doc, ctx, id), kind);
    },
    purgeRecord(kind, id) {
      return write((collection, doc, ctx) => collection.purge(doc, ctx, id), kind);
    },
  };
};
