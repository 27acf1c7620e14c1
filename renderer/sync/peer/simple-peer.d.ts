/** The parts of simple-peer (9.x, its prebuilt browser bundle as y-webrtc uses it) Outpost calls. */
declare module 'simple-peer/simplepeer.min.js' {
  export interface SimplePeerOptions {
    initiator?: boolean;
    config?: { iceServers?: unknown[]; iceTransportPolicy?: 'all' | 'relay' };
    /** Node only: an implementation of RTCPeerConnection and friends (@roamhq/wrtc). */
    wrtc?: unknown;
    trickle?: boolean;
  }
  export interface SimplePeerInstance {
    signal(data: unknown): void;
    send(data: Uint8Array): void;
    destroy(error?: Error): void;
    /** The data channel's bufferedAmount. */
    readonly bufferSize: number;
    readonly connected: boolean;
    readonly destroyed: boolean;
    on(event: 'signal', listener: (data: unknown) => void): this;
    on(event: 'connect' | 'close', listener: () => void): this;
    on(event: 'data', listener: (data: Uint8Array) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
  }
  const Peer: new (options?: SimplePeerOptions) => SimplePeerInstance;
  export default Peer;
}
