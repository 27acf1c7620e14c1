/**
 * Spoken names of the profile colours, so a swatch is announced as "Blue", not "#2563eb". A colour
 * from elsewhere (a newer build, a peer) falls back to its code.
 */
const NAMES: Readonly<Record<string, string>> = {
  '#2563eb': 'Blue',
  '#db2777': 'Pink',
  '#059669': 'Green',
  '#d97706': 'Amber',
  '#7c3aed': 'Violet',
  '#0891b2': 'Cyan',
  '#dc2626': 'Red',
  '#4d7c0f': 'Olive',
};

export function colorName(color: string): string {
  return NAMES[color.toLowerCase()] ?? color;
}
