/** How a record (or part of one) that fails validation is described to the person. */
import type { z } from 'zod';
import { previewJson } from './bounded';

/** One readable line per validation problem, prefixed with the field path. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
}

/**
 * A short JSON preview of what is stored, for the damaged-record notice and bug reports. Written
 * by a bounded reader (bounded.ts): what is previewed is damaged, so it may be nested thousands of
 * levels deep or be megabytes long, which `JSON.stringify` or `toJSON()` cannot take.
 */
export function previewValue(value: unknown): string {
  const { text, cut } = previewJson(value, 300);
  return cut ? `${text}…` : text;
}

/** The message of something thrown while reading a record, for its damaged-record notice. */
export function describeThrown(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return `the record could not be read (${message.slice(0, 200)})`;
}
