/**
 * Runs the web companion as its own process (in a test namespace), as a person's machine would:
 * it serves the built renderer and hosts the LAN signaling server with mDNS per its sync settings.
 * Env: RENDERER_DIR, DATA_DIR. Prints `{url, link}` (link: a one-time sign-in link) once listening;
 * stops when stdin closes.
 */
import { startWebCompanion } from '../../electron/web/server';

const companion = await startWebCompanion({
  rendererDir: process.env.RENDERER_DIR ?? 'out/renderer',
  dataDir: process.env.DATA_DIR ?? '.',
  version: 'test',
  log: (message) => process.stderr.write(`${message}\n`),
  syncNetwork: { discoveryOptions: { refreshMs: 2000 } },
});
process.stdout.write(`${JSON.stringify({ url: companion.url, link: companion.openLink() })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void companion.close().then(() => process.exit(0)));
