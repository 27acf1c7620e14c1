/** Signaling servers on loopback for a test file, closed (with every test client) after each test. */
import { afterEach } from 'vitest';
import {
  startSignalingServer,
  type SignalingServer,
  type SignalingServerOptions,
} from '../../../electron/main/signaling/server';
import { closeAllClients } from './client';

export function useTestServers(): (options?: SignalingServerOptions) => Promise<SignalingServer> {
  const servers: SignalingServer[] = [];
  afterEach(async () => {
    await closeAllClients();
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (options = {}) => {
    const server = await startSignalingServer({ host: '127.0.0.1', port: 0, ...options });
    servers.push(server);
    return server;
  };
}
