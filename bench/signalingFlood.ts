/**
 * The flood for bench/signaling.ts, in its own process: `connections` WebSocket connections to
 * `url` from `localAddress`, as fast as the server lets them in, for `seconds`. Every connection
 * it gets sends pings and 60 KiB publishes as fast as the socket takes them; every one refused or
 * closed is opened again. Prints one JSON line of counts at the end.
 */
import { WebSocket } from 'ws';

const [url, localAddress, connectionsArg, secondsArg] = process.argv.slice(2);
const connections = Number(connectionsArg);
const until = Date.now() + Number(secondsArg) * 1000;
const counts = { opened: 0, refused: 0, framesSent: 0 };
const payload = JSON.stringify({ type: 'publish', topic: 'flood', data: 'x'.repeat(60 * 1024) });

function open(): void {
  if (Date.now() > until) return;
  const socket = new WebSocket(url!, { localAddress });
  let timer: NodeJS.Timeout | null = null;
  socket.on('open', () => {
    counts.opened++;
    socket.send(JSON.stringify({ type: 'subscribe', topics: ['flood'] }));
    const blast = () => {
      if (Date.now() > until || socket.readyState !== WebSocket.OPEN) return socket.terminate();
      while (socket.bufferedAmount < 1024 * 1024) {
        socket.send('{"type":"ping"}');
        socket.send(payload);
        counts.framesSent += 2;
      }
      timer = setTimeout(blast, 1);
    };
    blast();
  });
  socket.on('error', () => {});
  // Refused (HTTP 503): with this listener ws leaves the request to us, and emits no 'close'.
  socket.on('unexpected-response', (request) => {
    counts.refused++;
    request.destroy();
    setImmediate(open);
  });
  socket.on('close', () => {
    if (timer) clearTimeout(timer);
    setImmediate(open);
  });
}

for (let i = 0; i < connections; i++) open();
setTimeout(
  () => {
    process.stdout.write(`${JSON.stringify(counts)}\n`);
    process.exit(0);
  },
  Number(secondsArg) * 1000 + 500,
);
