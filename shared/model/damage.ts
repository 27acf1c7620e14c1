/** How a record (or part of one) that fails validation is described to the person. */
import * as Y from 'yjs';
import type { z } from 'zod';

/** One readable line per validation problem, prefixed with the field path. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
}

/** A short JSON preview of what is stored, for the damaged-record notice and bug reports. */
export function previewValue(value: unknown): string {
  let text: string;
  try {
    text =
      JSON.stringify(value instanceof Y.AbstractType ? value.toJSON() : value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
