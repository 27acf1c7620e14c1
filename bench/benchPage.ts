/**
 * A bench page (a folder with an index.html and its script) built with Vite into a temporary
 * folder and served on loopback, for the suites that measure storage in Chromium.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';

export interface ServedPage {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveBenchPage(root: string): Promise<ServedPage> {
  const outDir = await mkdtemp(path.join(tmpdir(), `outpost-bench-${path.basename(root)}-`));
  await build({
    root,
    base: './',
    configFile: false,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'chrome130' },
  });
  const server = createServer((request, response) => {
    const relative = (request.url ?? '/').split('?')[0]!.replace(/^\/+/, '') || 'index.html';
    const file = path.resolve(outDir, relative);
    if (!file.startsWith(outDir)) return void response.writeHead(403).end();
    readFile(file).then(
      (content) => {
        response.writeHead(200, {
          'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/html',
        });
        response.end(content);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}
