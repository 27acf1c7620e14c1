/**
 * The logic of a text field bound to one stored value (a record's title, a decision's proposal, a
 * key result's target, the person's display name): saved as the person types, never overwritten
 * while they type.
 *
 * - What the person types is the field's draft. It is written through the caller's `save` (the
 *   app's normal write path, so `updatedAt`/`updatedBy` and validation are as for any edit)
 *   `delayMs` after the last keystroke, and at once when the field is left, on Enter, when the
 *   field goes away, and when the page is about to go (renderer/sync/pendingEdits.ts). Each save
 *   is one transaction: typing makes one write per pause, not one per keystroke.
 * - A save the model refuses (an empty title, a number that is not one) keeps the draft in the
 *   field with the reason beside it; nothing half-valid is written.
 * - While the person is in the field and has typed there, a new stored value (a teammate's edit,
 *   another window, the model normalising what was saved: trimmed spaces, upper-cased currency)
 *   does not replace the draft: replacing it would move or eat what they are typing. If the new
 *   value differs from what this field last saved, it came from elsewhere; plain fields are
 *   last-writer-wins, and the person typing here is the later writer, so their draft is written
 *   over it (again within `delayMs`): what the field shows is what the document holds.
 * - Once the person leaves the field (and its draft is saved), it shows the stored value.
 *
 * No React here, so it is unit-tested with a fake clock (test/renderer/components/).
 */
import type { Result } from '../../shared/result';
import { registerPendingEdit } from '../sync/pendingEdits';

/** Edits reach the document this long after the last keystroke (issue #14 asks for ≤ 300 ms). */
export const SAVE_DELAY_MS = 300;

export interface DraftFieldState {
  /** What the field shows. */
  readonly value: string;
  /** Why the last save was refused, shown beside the field; null when it was not. */
  readonly error: string | null;
}

export interface Timers {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface DraftFieldOptions {
  /**
   * Writes `draft`. Returns the value as now stored (the model may normalise it), or the reason it
   * was refused.
   */
  readonly save: (draft: string) => Result<string>;
  readonly delayMs?: number;
  readonly timers?: Timers;
}

export class DraftField {
  private source: string;
  private draft: string;
  /** The draft holds text the document does not. */
  private dirty = false;
  private focused = false;
  /** The person has typed since entering the field: the draft is theirs until they leave. */
  private typing = false;
  /** The stored value when the person entered the field, which Escape puts back. */
  private entered: string;
  private error: string | null = null;
  private timer: unknown = null;
  private state: DraftFieldState;
  private readonly listeners = new Set<() => void>();
  private unregister: (() => void) | null = null;
  private readonly timers: Timers;
  private readonly delayMs: number;

  constructor(
    source: string,
    private options: DraftFieldOptions,
  ) {
    this.source = source;
    this.draft = source;
    this.entered = source;
    this.timers = options.timers ?? realTimers;
    this.delayMs = options.delayMs ?? SAVE_DELAY_MS;
    this.state = { value: source, error: null };
  }

  /** The current save function (a component re-creates it every render). */
  setSave(save: DraftFieldOptions['save']): void {
    this.options = { ...this.options, save };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getState = (): DraftFieldState => this.state;

  /** The field is on screen: the page's last moments flush it too. Returns the undo. */
  attach(): () => void {
    this.unregister ??= registerPendingEdit(this);
    return () => {
      this.flush();
      this.cancelTimer();
      this.unregister?.();
      this.unregister = null;
    };
  }

  focus(): void {
    this.focused = true;
    this.entered = this.source;
  }

  /** The person typed: `value` is the whole new text of the field. */
  edit(value: string): void {
    this.draft = value;
    this.dirty = true;
    if (this.focused) this.typing = true;
    this.schedule();
    this.emit();
  }

  /** The stored value changed (a save of this field, a peer, another field's write). */
  setSource(value: string): void {
    if (value === this.source) return;
    this.source = value;
    if (!this.typing && !this.dirty) {
      this.draft = value;
      this.emit();
      return;
    }
    // Someone else's value while the person types here: theirs is written over it (see above).
    if (!this.dirty && value !== this.draft) {
      this.dirty = true;
      this.schedule();
    }
  }

  /** Writes the draft now if the document lacks it. */
  flush(): void {
    this.cancelTimer();
    if (!this.dirty) return;
    if (this.draft === this.source) {
      this.dirty = false;
      this.error = null;
      this.emit();
      return;
    }
    const result = this.options.save(this.draft);
    if (result.ok) {
      this.dirty = false;
      this.error = null;
      // The store catches up a moment later; until then this is what the document holds.
      this.source = result.value;
    } else {
      this.error = result.error.message;
    }
    this.emit();
  }

  /** The person left the field: save, then show what is stored (normalised, or a newer value). */
  blur(): void {
    this.flush();
    this.focused = false;
    this.typing = false;
    if (!this.dirty) this.draft = this.source;
    this.emit();
  }

  /** Escape: puts back what the field held when the person entered it (saved again if needed). */
  revert(): void {
    this.draft = this.entered;
    this.dirty = true;
    this.error = null;
    this.flush();
    this.emit();
  }

  private schedule(): void {
    this.cancelTimer();
    this.timer = this.timers.set(() => {
      this.timer = null;
      this.flush();
    }, this.delayMs);
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    this.timers.clear(this.timer);
    this.timer = null;
  }

  private emit(): void {
    if (this.state.value === this.draft && this.state.error === this.error) return;
    this.state = { value: this.draft, error: this.error };
    for (const listener of this.listeners) listener();
  }
}
