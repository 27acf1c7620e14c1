/**
 * The renderer's policy is a response header wherever the page is served (the app:// scheme, web
 * mode's companion, the dev server through the main process), never a meta tag: a meta tag cannot
 * carry frame-ancestors, and a second, fixed copy in the page would quietly narrow or contradict
 * the one the main process sends.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

describe('renderer/index.html', () => {
  it('carries no Content-Security-Policy meta tag of its own', () => {
    const html = readFileSync(path.join(root, 'renderer/index.html'), 'utf8');
    expect(html).not.toMatch(/http-equiv\s*=\s*["']?content-security-policy/i);
  });
});
