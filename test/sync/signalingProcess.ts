/** Runs the app's signaling server as its own process (in a test namespace); prints its port. */
import { startSignalingServer } from '../../electron/main/signaling/server';

const server = await startSignalingServer({
  host: process.env.HOST ?? '0.0.0.0',
  port: Number(process.env.PORT ?? 0),
});
process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));
