import { DEMO_DEVICE_TOKEN } from '../config';
import type { Tx } from '../db/pool';
import { hashToken } from '../auth/token';

/** A demo gateway token for POST /api/v1/positions (README shows how to use it). */
export async function seedDemoDevices(tx: Tx): Promise<void> {
  await tx.query(`INSERT INTO device_tokens (name, token_hash) VALUES ('演示网关', $1)`, [hashToken(DEMO_DEVICE_TOKEN)]);
}
