// A second server process for the multi-process tests: same stack, its own port, same Redis.
import { startStack } from './stack';

const stack = await startStack(process.env.BUS_PREFIX ?? 'test:', Number(process.env.PORT ?? 0));
console.log(`ready ${stack.url}`);
process.on('SIGTERM', () => void stack.close().then(() => process.exit(0)));
