/** The local profile: who this person is on this device, used to attribute every change. */
import { z } from 'zod';
import { ID_PATTERN } from '../core/ids';
import { isKnownTimeZone } from '../time/zonedTime';

export const Profile = z.object({
  memberId: z.string().regex(ID_PATTERN),
  displayName: z
    .string()
    .transform((value) => value.trim())
    .pipe(
      z
        .string()
        .min(1, 'Your name cannot be empty.')
        .max(60, 'Your name is longer than 60 characters.'),
    ),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Pick a color like #3b82f6.'),
  timeZone: z.string().refine(isKnownTimeZone, 'Unknown time zone.'),
});
export type Profile = z.infer<typeof Profile>;

/** Colors offered to a new profile; readable on light and dark backgrounds. */
export const PROFILE_COLORS = [
  '#2563eb',
  '#db2777',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#0891b2',
  '#dc2626',
  '#4d7c0f',
] as const;
