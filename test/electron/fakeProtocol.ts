/** Electron's `protocol` for the fake Electron surface (fakeElectron.ts). */
import type { CustomScheme } from 'electron';

/**
 * Electron's `protocol`, as strict as the real one about order: privileged schemes only before
 * the app is ready, one handler per scheme. `fetch` plays the page requesting a URL.
 */
export class FakeProtocol {
  readonly privileged: CustomScheme[] = [];
  readonly handlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  constructor(private readonly isReady: () => boolean) {}

  registerSchemesAsPrivileged(schemes: CustomScheme[]): void {
    if (this.isReady())
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    this.privileged.push(...schemes);
  }
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    if (this.handlers.has(scheme)) throw new Error(`Protocol ${scheme} is already handled`);
    this.handlers.set(scheme, handler);
  }
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    const scheme = url.slice(0, url.indexOf(':'));
    const handler = this.handlers.get(scheme);
    if (!handler) throw new Error(`No handler for ${scheme}:`);
    return handler(new Request(url, init));
  }
}
