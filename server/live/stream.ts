import { CHANNELS, PositionBatchV1 } from '@/lib/contracts/live';
import type { Bus } from '../bus/bus';
import type { PositionIngest } from './ingest';

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Other systems XADD raw batches to the stream; one process takes each read, through the same
 * validation, with one HSET and PUBLISH for all its entries rather than three round trips each.
 */
export function consumePositionStream(bus: Bus, ingest: PositionIngest): Promise<() => Promise<void>> {
  return bus.consume(CHANNELS.positionsIn, async (payloads) => {
    const positions: unknown[] = [];
    for (const payload of payloads) {
      const batch = PositionBatchV1.safeParse(parseJson(payload));
      if (batch.success) positions.push(...batch.data.positions);
      else ingest.counters.malformed += 1;
    }
    if (positions.length > 0) await ingest.ingest(positions);
  });
}
