/**
 * The desktop app's LAN signaling server runs outside the main process (issue 16), in an Electron
 * utility process (electron/main/signaling/serverHost.ts, serverProcess.ts). Electron's binary is
 * not available here: the fake Electron surface plays utilityProcess.fork with a Node child that
 * runs the real server process module, and everything else (the app, lanSync, IPC) is real.
 */
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appPathsFrom, startOutpost } from '../../../electron/main/app';
import { processServerStarter } from '../../../electron/main/signaling/serverHost';
import { createFakeElectron, FakeUtilityProcess } from '../fakeElectron';
import { trackRunningOutpost } from '../main/runningOutpost';
import { useTmpDir } from '../tmpDir';
import { connect } from './client';

const makeTmpDir = useTmpDir();
const running = trackRunningOutpost();
const paths = appPathsFrom(path.resolve('/opt/Outpost/app/out/main'), null);

async function startApp() {
  const fake = createFakeElectron({ userData: await makeTmpDir() });
  const instance = await startOutpost(fake.surface, {
    paths,
    platform: 'linux',
    windowStateDebounceMs: 60_000,
    syncNetwork: { host: '127.0.0.1', port: 0, discovery: false },
  });
  if (!instance) throw new Error('Outpost did not start');
  running.push(instance);
  const window = fake.windows[0]!;
  const trusted = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
  return { fake, instance, trusted };
}

const exitOf = (utility: FakeUtilityProcess) =>
  new Promise<number | null>((resolve) => {
    if (utility.child.exitCode !== null || utility.child.signalCode !== null)
      resolve(utility.child.exitCode);
    else utility.child.once('exit', (code) => resolve(code));
  });

describe('the LAN signaling server in its own process', { timeout: 20_000 }, () => {
  it('runs in a utility process, and the main process answers IPC while that process is stuck', async () => {
    const { fake, instance, trusted } = await startApp();
    expect(fake.utilityProcesses.map((p) => [p.modulePath, p.serviceName])).toEqual([
      [paths.signalingServer, 'Outpost LAN signaling'],
    ]);
    const utility = fake.utilityProcesses[0]!;
    expect(utility.child.pid).not.toBe(process.pid);
    const { localServer } = instance.syncNetwork.get();
    expect(localServer.state).toBe('running');
    const client = await connect(`ws://127.0.0.1:${localServer.port}`);
    await expect(client.drain()).resolves.toEqual([]);

    // Stop the server's process dead, as a flood it is busy with would: the main process still
    // answers the page, and the focus timer runs.
    process.kill(utility.child.pid!, 'SIGSTOP');
    try {
      const pong = client.drain();
      await expect(fake.ipcMain.invoke('sync:getNetwork', trusted, undefined)).resolves.toEqual({
        ok: true,
        value: instance.syncNetwork.get(),
      });
      const started = await fake.ipcMain.invoke('focus:act', trusted, { type: 'start' });
      expect(started).toMatchObject({ ok: true });
      // The ping sent meanwhile is answered once the server's process runs again: it was that
      // process, not this one, that serves it.
      process.kill(utility.child.pid!, 'SIGCONT');
      await expect(pong).resolves.toEqual([]);
    } finally {
      process.kill(utility.child.pid!, 'SIGCONT');
    }
  });

  it('reports a crashed server process, and turning the server off and on starts a new one', async () => {
    const { fake, instance, trusted } = await startApp();
    const first = fake.utilityProcesses[0]!;
    first.child.kill('SIGKILL');
    // A new process takes a second or more to start on a busy machine: poll's 1 s default is a
    // timed assertion in disguise (it failed under load), so these wait as long as a test may.
    await expect
      .poll(() => instance.syncNetwork.get().localServer, { timeout: 20_000 })
      .toMatchObject({ state: 'failed', error: expect.stringMatching(/stopped unexpectedly/) });

    for (const enabled of [false, true])
      await fake.ipcMain.invoke('sync:updateSettings', trusted, {
        lanServer: { enabled, port: 47_413 },
      });
    await expect
      .poll(() => instance.syncNetwork.get().localServer.state, { timeout: 20_000 })
      .toBe('running');
    expect(fake.utilityProcesses).toHaveLength(2);
    const client = await connect(`ws://127.0.0.1:${instance.syncNetwork.get().localServer.port}`);
    await expect(client.drain()).resolves.toEqual([]);
  });

  it('ends the server process when the app closes its services', async () => {
    const { fake, instance } = await startApp();
    const utility = fake.utilityProcesses[0]!;
    const exited = exitOf(utility);
    await instance.syncNetwork.close();
    expect(await exited).toBe(0);
  });

  it("passes on the server's listen error with its code, so the app can fall back to another port", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const children: FakeUtilityProcess[] = [];
    const start = processServerStarter(() => {
      const child = new FakeUtilityProcess(paths.signalingServer, undefined);
      children.push(child);
      return child;
    });
    try {
      await expect(start({ host: '127.0.0.1', port, log: () => {} })).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
      await exitOf(children[0]!);
    } finally {
      taken.close();
    }
  });
});
