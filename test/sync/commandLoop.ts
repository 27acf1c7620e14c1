/**
 * The stdin/stdout protocol of the test peer processes (nodePeer, stockPeer, thirdPartyClient,
 * relayProcess): one JSON command per line in, `{ id, ok, value | error }` per line out. A line that
 * is not JSON is ignored; the process exits when its stdin closes.
 */
import { createInterface } from 'node:readline';

export type Command = { id: number; cmd: string } & Record<string, unknown>;
export type Handlers = Record<string, (command: Command) => unknown>;

/** Answers commands from stdin with `handlers` until stdin closes. */
export function serveCommands(handlers: Handlers): void {
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    let command: Command;
    try {
      command = JSON.parse(line) as Command;
    } catch {
      return;
    }
    void (async () => {
      try {
        const handler = handlers[command.cmd];
        if (!handler) throw new Error(`unknown command ${command.cmd}`);
        const value = await handler(command);
        process.stdout.write(`${JSON.stringify({ id: command.id, ok: true, value })}\n`);
      } catch (error) {
        process.stdout.write(
          `${JSON.stringify({ id: command.id, ok: false, error: String(error) })}\n`,
        );
      }
    })();
  });
  lines.on('close', () => process.exit(0));
}
