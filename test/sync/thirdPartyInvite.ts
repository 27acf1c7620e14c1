/**
 * What a third-party client derives from an Outpost invite code, written only from
 * docs/PROTOCOL.md (§5.1, §5.2) with Node's crypto: the invite's fields (Crockford base32, SHA-256
 * checksum), this week's room name and the signaling password. Imports nothing of Outpost's;
 * shared by thirdPartyClient.ts (stock y-webrtc) and thirdPartyLazyClient.ts.
 */
import { createHash, createHmac } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function decodeInvite(code: string): { id: string; key: Buffer; name: string } {
  const compact = code.replace(/\s+/g, '');
  if (!compact.toUpperCase().startsWith('OUTPOST-')) throw new Error('not an invite');
  const digits = compact
    .slice(8)
    .replace(/-/g, '')
    .toUpperCase()
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of digits) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) throw new Error('bad character');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >> bits) & 0xff);
    }
    value &= (1 << bits) - 1;
  }
  const payload = Buffer.from(bytes);
  const body = payload.subarray(0, payload.length - 4);
  const sum = createHash('sha256').update(body).digest().subarray(0, 4);
  if (!sum.equals(payload.subarray(payload.length - 4))) throw new Error('bad checksum');
  if (payload[0] !== 1) throw new Error('unknown version');
  const nameLength = payload[49]!;
  return {
    id: payload.subarray(1, 17).toString('hex'),
    key: payload.subarray(17, 49),
    name: payload.subarray(50, 50 + nameLength).toString('utf8'),
  };
}

/**
 * ISO 8601 week `YYYY-Www` in UTC, from its definition: a week is numbered in the year holding its
 * Thursday, by that Thursday's day of the year.
 */
function isoWeek(date: Date): string {
  const mondayBased = (date.getUTCDay() + 6) % 7;
  const thursday = Date.UTC(
    date.getUTCFullYear(),
    date.getUTCMonth(),
    date.getUTCDate() - mondayBased + 3,
  );
  const year = new Date(thursday).getUTCFullYear();
  const dayOfYear = (thursday - Date.UTC(year, 0, 1)) / 86_400_000;
  return `${year}-W${String(Math.floor(dayOfYear / 7) + 1).padStart(2, '0')}`;
}

/** The signaling room of the week holding `date`, and the y-webrtc password (§5.2). */
export function roomAndPassword(key: Buffer, date: Date): { room: string; password: string } {
  return {
    room: createHmac('sha256', key)
      .update(`outpost/room/v2/${isoWeek(date)}`)
      .digest('hex'),
    password: createHmac('sha256', key).update('outpost/password/v1').digest('base64url'),
  };
}
