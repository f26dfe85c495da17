// bench:citizen — the server under test in a process of its own (bench/api-stack.ts: the API without
// Next.js). The database is migrated and seeded by the bench before this starts.
import { startApiStack } from './api-stack';

const stack = await startApiStack(Number(process.env.PORT));
console.log(`serving ${stack.url}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) process.exit(1);
  stopping = true;
  setTimeout(() => process.exit(1), 15_000).unref();
  await stack.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
