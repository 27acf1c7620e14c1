/**
 * Results instead of exceptions at every boundary (IPC, storage, import, network):
 * a failure is data the caller must look at, with a message a person can read.
 */
export interface Failure {
  /** Stable machine-readable code, e.g. `invalid-argument`, `forbidden`, `not-found`. */
  readonly code: string;
  /** A sentence a person can read. */
  readonly message: string;
}

export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Failure };

/** Wraps a value as a successful result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Wraps a failure code and a readable message as a failed result. */
export function fail<T = never>(code: string, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}
