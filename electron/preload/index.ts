/**
 * The sandboxed preload: exposes window.outpost, the typed API of shared/ipc, and nothing else.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createOutpostApi } from '../../shared/ipc/client';
import { createIpcRendererTransport } from './transport';

contextBridge.exposeInMainWorld(
  'outpost',
  createOutpostApi(createIpcRendererTransport(ipcRenderer)),
);
