/**
 * `npm run relay`: starts an Outpost relay from flags or environment variables and runs until
 * SIGINT or SIGTERM. Prints one line, `Outpost relay listening on ws://HOST:PORT`, once ready.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MAILBOX_LIMITS } from './mailbox';
import { startRelay } from './relay';

const HELP = `Outpost relay: signaling and a blind store-and-forward mailbox on one port.

Usage: npm run relay -- [options]

  --host HOST            interface to bind (env OUTPOST_RELAY_HOST; default 127.0.0.1;
                         0.0.0.0 to serve other machines)
  --port PORT            TCP port (env OUTPOST_RELAY_PORT; default 4443; 0 picks a free one)
  --data DIR             where mailbox.sqlite is kept (env OUTPOST_RELAY_DATA;
                         default ~/.local/share/outpost-relay)
  --max-room-mb N        stored megabytes per room (env OUTPOST_RELAY_MAX_ROOM_MB; default ${DEFAULT_MAILBOX_LIMITS.maxRoomBytes / 1024 / 1024})
  --max-room-blobs N     stored updates per room (env OUTPOST_RELAY_MAX_ROOM_BLOBS; default ${DEFAULT_MAILBOX_LIMITS.maxRoomBlobs})
  --max-envelope-mb N    largest single upload (env OUTPOST_RELAY_MAX_ENVELOPE_MB; default ${DEFAULT_MAILBOX_LIMITS.maxEnvelopeBytes / 1024 / 1024})
  --max-connections N    open mailbox connections (env OUTPOST_RELAY_MAX_CONNECTIONS; default ${DEFAULT_MAILBOX_LIMITS.maxConnections})
  --help                 this text

Teammates add ws://HOST:PORT (or wss:// behind a TLS proxy) under Sync → Relays.
The relay never holds a workspace key: it stores only encrypted updates.`;

function fail(message: string): never {
  console.error(`${message}\nRun with --help for the options.`);
  process.exit(2);
}

function number(name: string, text: string | undefined, fallback: number, scale = 1): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    fail(`--${name} must be a non-negative number, got "${text}".`);
  return Math.round(value * scale);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      'max-room-mb': { type: 'string' },
      'max-room-blobs': { type: 'string' },
      'max-envelope-mb': { type: 'string' },
      'max-connections': { type: 'string' },
      help: { type: 'boolean' },
    },
  }).values;
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
if (parsed.help) {
  console.info(HELP);
  process.exit(0);
}
const env = process.env;
const MB = 1024 * 1024;
const port = number('port', parsed.port ?? env.OUTPOST_RELAY_PORT, 4443);
if (!Number.isInteger(port) || port > 65535) fail(`--port must be 0..65535, got ${port}.`);
const dataDir = path.resolve(
  parsed.data ?? env.OUTPOST_RELAY_DATA ?? path.join(homedir(), '.local/share/outpost-relay'),
);
const defaults = DEFAULT_MAILBOX_LIMITS;

try {
  const relay = await startRelay({
    dataDir,
    host: parsed.host ?? env.OUTPOST_RELAY_HOST ?? '127.0.0.1',
    port,
    mailbox: {
      maxRoomBytes: number(
        'max-room-mb',
        parsed['max-room-mb'] ?? env.OUTPOST_RELAY_MAX_ROOM_MB,
        defaults.maxRoomBytes,
        MB,
      ),
      maxRoomBlobs: number(
        'max-room-blobs',
        parsed['max-room-blobs'] ?? env.OUTPOST_RELAY_MAX_ROOM_BLOBS,
        defaults.maxRoomBlobs,
      ),
      maxEnvelopeBytes: number(
        'max-envelope-mb',
        parsed['max-envelope-mb'] ?? env.OUTPOST_RELAY_MAX_ENVELOPE_MB,
        defaults.maxEnvelopeBytes,
        MB,
      ),
      maxConnections: number(
        'max-connections',
        parsed['max-connections'] ?? env.OUTPOST_RELAY_MAX_CONNECTIONS,
        defaults.maxConnections,
      ),
    },
    log: (event, details) => {
      if (event !== 'listening')
        console.info(`[relay] ${event} ${details ? JSON.stringify(details) : ''}`);
    },
  });
  console.info(`Outpost relay listening on ${relay.url} (data in ${dataDir})`);
  const stop = () => void relay.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (error) {
  fail(`The relay could not start: ${error instanceof Error ? error.message : String(error)}`);
}
