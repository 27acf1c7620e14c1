/**
 * The one warning before any export that is written unencrypted (Markdown, CSV, MADR, workspace
 * files): what Outpost keeps on the device is sealed (docs/PROTOCOL.md §7), an exported file is
 * not, and the person should know that before it exists. Export actions await
 * `confirmPlainExport`; PlainExportDialog (mounted once in App) shows the question.
 */
import { create } from 'zustand';

interface PendingQuestion {
  /** What is about to be written, as the subject of a sentence ("These 3 notes"). */
  readonly what: string;
  readonly answer: (go: boolean) => void;
}

export const usePlainExportQuestion = create<{ readonly pending: PendingQuestion | null }>()(
  () => ({ pending: null }),
);

/** Resolves true when the person chooses to write the unencrypted file, false otherwise. */
export function confirmPlainExport(what: string): Promise<boolean> {
  return new Promise((resolve) => {
    // A second question replaces the first, which counts as cancelled.
    usePlainExportQuestion.getState().pending?.answer(false);
    usePlainExportQuestion.setState({
      pending: {
        what,
        answer: (go) => {
          usePlainExportQuestion.setState({ pending: null });
          resolve(go);
        },
      },
    });
  });
}
