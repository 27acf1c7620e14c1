/**
 * The sync part of the IPC contract: the person's network settings for sync (the LAN signaling
 * server this device hosts, internet signaling servers and STUN/TURN servers they added), and what
 * the main process (or web companion) knows about the network: its own signaling server and the
 * servers of other Outpost devices found on the LAN by mDNS.
 */
import { z } from 'zod';

/** A signaling server address: ws:// or wss://, a host, an optional port and path. */
export const SignalingUrl = z
  .string()
  .trim()
  .max(512)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'A signaling server address starts with wss:// (or ws://) followed by a host name, e.g. wss://signal.example.org.');

const IceUrl = z
  .string()
  .trim()
  .max(512)
  .regex(
    /^(stun|stuns|turn|turns):[^\s]+$/,
    'A STUN/TURN address starts with stun:, stuns:, turn: or turns:, e.g. turn:turn.example.org:3478.',
  );

/** A STUN or TURN server as RTCPeerConnection takes it; TURN needs a username and credential. */
export const IceServerSetting = z
  .object({
    urls: IceUrl,
    username: z.string().max(256).optional(),
    credential: z.string().max(512).optional(),
  })
  .strict()
  .refine(
    (server) => !/^turns?:/.test(server.urls) || (!!server.username && !!server.credential),
    'A TURN server needs a username and a password (credential).',
  );
export type IceServerSetting = z.infer<typeof IceServerSetting>;

export const SyncSettings = z
  .object({
    /** The signaling server this device hosts for LAN peers (announced with mDNS). */
    lanServer: z
      .object({
        enabled: z.boolean(),
        /** TCP port; 0 lets the system choose a free one each start. */
        port: z.number().int().min(0).max(65_535),
      })
      .strict(),
    /**
     * Find teammates' devices on the local network with mDNS (and announce this device's server
     * to them). Off: nothing is announced or browsed; only servers added by hand are used.
     */
    lanDiscovery: z.boolean(),
    /** Internet signaling servers the person added; none by default. */
    signalingServers: z.array(SignalingUrl).max(16),
    /** STUN/TURN servers the person added; none by default (LAN host candidates only). */
    iceServers: z.array(IceServerSetting).max(16),
  })
  .strict();
export type SyncSettings = z.infer<typeof SyncSettings>;

export const SyncSettingsPatch = SyncSettings.partial().strict();
export type SyncSettingsPatch = z.infer<typeof SyncSettingsPatch>;

/** Port of the LAN signaling server unless the person picks another. */
export const DEFAULT_LAN_SIGNALING_PORT = 47_413;

export const DEFAULT_SYNC_SETTINGS: SyncSettings = {
  lanServer: { enabled: true, port: DEFAULT_LAN_SIGNALING_PORT },
  lanDiscovery: true,
  signalingServers: [],
  iceServers: [],
};

/** A signaling server of another Outpost device, found by mDNS. */
export const LanServer = z.object({
  /** The mDNS instance name. */
  name: z.string(),
  /** ws://address:port reachable on the LAN. */
  url: z.string(),
  host: z.string(),
  port: z.number().int(),
});
export type LanServer = z.infer<typeof LanServer>;

export const SyncNetwork = z.object({
  localServer: z.object({
    state: z.enum(['off', 'starting', 'running', 'failed']),
    port: z.number().int().nullable(),
    /** The URL this device's own renderer uses to reach it. */
    url: z.string().nullable(),
    error: z.string().nullable(),
  }),
  /** Whether mDNS announcing and browsing runs. */
  discovery: z.enum(['off', 'running', 'failed']),
  lanServers: z.array(LanServer),
});
export type SyncNetwork = z.infer<typeof SyncNetwork>;
