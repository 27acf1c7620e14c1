import { describe, expect, it } from 'vitest';
import { isSafeExternalUrl, toSafeExternalUrl } from '../../../electron/main/externalUrl';

describe('toSafeExternalUrl', () => {
  it('accepts web and e-mail links, normalised', () => {
    expect(toSafeExternalUrl('https://Example.com/a b')).toBe('https://example.com/a%20b');
    expect(toSafeExternalUrl('http://example.com')).toBe('http://example.com/');
    expect(toSafeExternalUrl('mailto:someone@example.com?subject=Hi')).toBe(
      'mailto:someone@example.com?subject=Hi',
    );
  });

  it('refuses every other scheme, disguised hosts and non-URLs', () => {
    for (const url of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox',
      'smb://server/share',
      'ms-settings:privacy',
      'outpost://internal',
      'https://user:pass@example.com/',
      '//example.com',
      'example.com',
      '',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });
});
