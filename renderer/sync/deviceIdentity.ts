/**
 * This device's identity (docs/PROTOCOL.md §8.1): its Ed25519 signing pair and X25519 key
 * agreement pair, made with WebCrypto the first time Outpost starts on a device (at onboarding, or
 * at the first start after an upgrade) and kept in the device database under `identity`, sealed
 * like every device value (deviceStore.ts), so the private keys are never stored in plaintext
 * unless the person chose no encryption at rest.
 *
 * A damaged identity is set aside (never deleted) and a new one is made: this device's earlier
 * signatures stay valid, and its new key asks to be confirmed by another of the person's devices.
 */
import { DeviceIdentity, createDeviceIdentity } from '../../shared/protocol/identity';
import { DEVICE_KEY, readDeviceValue, setDeviceValueAside, writeDeviceValue } from './deviceStore';
import type { LoadResult } from './localState';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The device identity, made and stored durably when there is none. Rejects only when no identity
 * could be read or made at all (WebCrypto without Ed25519 or X25519).
 */
export async function loadDeviceIdentity(): Promise<LoadResult<DeviceIdentity>> {
  const problems: string[] = [];
  try {
    const stored = await readDeviceValue(DEVICE_KEY.identity);
    if (stored !== undefined) {
      const parsed = DeviceIdentity.safeParse(stored);
      if (parsed.success) return { value: parsed.data };
      const aside = await setDeviceValueAside(DEVICE_KEY.identity, stored);
      problems.push(
        `This device’s keys were damaged and were kept aside as “${aside}”. New keys were made; your other device confirms them under Sync → People.`,
      );
    }
  } catch (error) {
    problems.push(`This device’s keys could not be read (${describe(error)}).`);
  }
  const identity = await createDeviceIdentity();
  try {
    await writeDeviceValue(DEVICE_KEY.identity, identity);
  } catch (error) {
    problems.push(
      `This device’s new keys could not be saved (${describe(error)}); they last until Outpost closes.`,
    );
  }
  return problems.length > 0
    ? { value: identity, problem: problems.join(' ') }
    : { value: identity };
}
