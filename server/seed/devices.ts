import { EXTERNAL_SOURCES, SOURCE_LABEL, type ExternalSource } from '@/lib/contracts/events';
import { DEMO_DEVICE_TOKEN } from '../config';
import type { Tx } from '../db/pool';
import { hashToken } from '../auth/token';

/** The demo key of a source system for POST /api/v1/events (README shows how to use it). */
export const demoApiKey = (source: ExternalSource) => `demo-key-${source}`;

/** A demo gateway token for POST /api/v1/positions and one API key per source system (S9). */
export async function seedDemoDevices(tx: Tx): Promise<void> {
  await tx.query(`INSERT INTO device_tokens (name, token_hash) VALUES ('演示网关', $1)`, [hashToken(DEMO_DEVICE_TOKEN)]);
  for (const source of EXTERNAL_SOURCES)
    await tx.query(`INSERT INTO api_keys (source, name, key_hash) VALUES ($1, $2, $3)`, [source, `演示 ${SOURCE_LABEL[source]}`, hashToken(demoApiKey(source))]);
}
