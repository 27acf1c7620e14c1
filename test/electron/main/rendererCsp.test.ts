/**
 * The bundled renderer is loaded over file://, which has no response headers, so its policy is the
 * meta tag in renderer/index.html. It must say what the main process enforces on the dev server.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../electron/main/security';

const root = path.resolve(import.meta.dirname, '../../..');

function directives(policy: string): Record<string, string> {
  return Object.fromEntries(
    policy
      .split(';')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const [name = '', ...values] = part.split(/\s+/);
        return [name, values.join(' ')];
      }),
  );
}

describe('renderer/index.html', () => {
  it('carries the same Content-Security-Policy as the main process', () => {
    const html = readFileSync(path.join(root, 'renderer/index.html'), 'utf8');
    const metas = [
      ...html.matchAll(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/gi),
    ];
    expect(metas).toHaveLength(1);
    const expected = directives(CONTENT_SECURITY_POLICY);
    // Browsers ignore frame-ancestors in a meta tag; only the header can carry it.
    delete expected['frame-ancestors'];
    expect(directives(metas[0]![1]!)).toEqual(expected);
  });
});
