import { describe, expect, it } from 'vitest';
import {
  describeTimeZone,
  sameTimeZone,
  searchTimeZones,
  utcOffsetText,
} from '../../../shared/time/zoneSearch';

describe('finding a time zone by city or country', () => {
  it('finds Asia/Ho_Chi_Minh from the city, the country and the old name', () => {
    for (const query of ['Ho Chi Minh City', 'ho chi', 'Vietnam', 'Saigon', 'hanoi']) {
      expect(searchTimeZones(query)[0]?.zone, query).toBe('Asia/Ho_Chi_Minh');
    }
    expect(searchTimeZones('Ho Chi Minh City')[0]).toMatchObject({
      place: 'Ho Chi Minh City, Vietnam',
    });
  });

  it('matches without accents and puts a city before a country that only contains the words', () => {
    expect(searchTimeZones('can tho')[0]?.zone).toBe('Asia/Ho_Chi_Minh');
    expect(searchTimeZones('São Paulo')[0]?.zone).toBe('America/Sao_Paulo');
    expect(searchTimeZones('sao paulo')[0]?.zone).toBe('America/Sao_Paulo');
    expect(searchTimeZones('Berlin')[0]?.zone).toBe('Europe/Berlin');
    expect(searchTimeZones('Lisbon')[0]?.zone).toBe('Europe/Lisbon');
  });

  it('finds nothing for nonsense and for an empty query, and keeps to the limit', () => {
    expect(searchTimeZones('zzqx')).toEqual([]);
    expect(searchTimeZones('   ')).toEqual([]);
    expect(searchTimeZones('a', 3)).toHaveLength(3);
  });

  it('names stored zones for people and knows aliases', () => {
    expect(describeTimeZone('Asia/Saigon')).toBe('Ho Chi Minh City, Vietnam');
    expect(describeTimeZone('Asia/Ho_Chi_Minh')).toBe('Ho Chi Minh City, Vietnam');
    expect(describeTimeZone('UTC')).toBe('UTC');
    expect(sameTimeZone('Asia/Saigon', 'Asia/Ho_Chi_Minh')).toBe(true);
    expect(sameTimeZone('Asia/Saigon', 'Asia/Bangkok')).toBe(false);
    expect(utcOffsetText('Asia/Ho_Chi_Minh', Date.UTC(2026, 11, 3))).toBe('UTC+07:00');
    expect(utcOffsetText('America/New_York', Date.UTC(2026, 11, 3))).toBe('UTC−05:00');
  });
});
