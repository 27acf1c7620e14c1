import { describe, expect, it } from 'vitest';
import { offerMove } from '../../../shared/time/zoneSearch';

describe('offering "I moved" when the computer changes time zone', () => {
  it('offers the new zone only after the computer moved away from the zone last seen', () => {
    // First start: nothing seen yet, nothing to offer.
    expect(offerMove('Europe/Lisbon', null, 'Europe/Lisbon')).toBe(false);
    // The OS moved from Lisbon to Ho Chi Minh City; the profile is still Lisbon.
    expect(offerMove('Asia/Ho_Chi_Minh', 'Europe/Lisbon', 'Europe/Lisbon')).toBe(true);
    // The profile already follows (an alias of the same zone counts).
    expect(offerMove('Asia/Ho_Chi_Minh', 'Europe/Lisbon', 'Asia/Saigon')).toBe(false);
  });

  it('never questions a zone chosen on purpose while the computer stayed put', () => {
    expect(offerMove('UTC', 'UTC', 'Asia/Ho_Chi_Minh')).toBe(false);
  });
});
