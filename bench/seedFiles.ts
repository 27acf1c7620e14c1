/**
 * What the notes and scale benches serve their page to seed a workspace with (bench/notesPage):
 * `state.bin`, the whole workspace as one document (the baseline decodes it), and the same state
 * as the app stores it in schema 2 (docs/PROTOCOL.md §1.4.2), cut once here rather than in every
 * run: `root.bin`, the lean root, and `bodies.bin`, every body document framed as
 * (varString id, varUint8Array update) after a varUint count.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cutState, type ScaleCut } from './scaleCorpus';

export async function writeSeedFiles(
  dir: string,
  state: Uint8Array,
  /** The same state cut (a cached one); cut here when not given. */
  cut: ScaleCut = cutState(state),
): Promise<void> {
  await Promise.all([
    writeFile(path.join(dir, 'state.bin'), state),
    writeFile(path.join(dir, 'root.bin'), cut.root),
    writeFile(path.join(dir, 'bodies.bin'), cut.bodies),
  ]);
}
