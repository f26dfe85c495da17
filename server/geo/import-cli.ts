// npm run geo:import -- FILE.geojson --level district|town|village|grid  (in that order: each level needs its parent)
// All or nothing: every feature is validated in one transaction; any problem rolls it all back.
import { readFile } from 'node:fs/promises';
import { RegionLevel } from '@/lib/contracts/geo';
import { loadConfig } from '../config';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open';
import { inTransaction } from '../db/pool';
import { audit } from '../repo/audit';
import { ImportError, importRegions, parseRegionFile } from './importer';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run geo:import -- FILE.geojson --level district|town|village|grid`);
  process.exit(2);
}

function parseArgs(argv: string[]): { file: string; level: RegionLevel } {
  const i = argv.indexOf('--level');
  const level = RegionLevel.safeParse(i >= 0 ? argv[i + 1] : undefined);
  if (!level.success) usage('--level must be one of district, town, village, grid');
  const file = argv.filter((_, k) => k !== i && k !== i + 1)[0];
  if (!file) usage('missing FILE');
  return { file, level: level.data };
}

async function importFile(file: string, level: RegionLevel, text: string): Promise<void> {
  const features = parseRegionFile(text, level);
  const database = await openDatabase(loadConfig());
  try {
    await migrate(database.db);
    console.log(`${file}: ${features.length} ${level} features; validating against ${database.info.describe}`);
    let last = '';
    const count = await inTransaction(database.db, async (tx) => {
      const n = await importRegions(tx, level, features, (done, total, stage) => {
        const line = `  ${stage} ${done}/${total}`;
        if (line !== last) console.log((last = line));
      });
      await audit(tx, null, { action: 'geo.import', target: level, detail: { file, features: n } });
      return n;
    });
    console.log(`imported ${count} ${level} features`);
  } finally {
    await database.close();
  }
}

async function main(): Promise<number> {
  const { file, level } = parseArgs(process.argv.slice(2));
  const text = await readFile(file, 'utf8').catch((e: Error) => usage(`cannot read ${file}: ${e.message}`));
  try {
    await importFile(file, level, text);
    return 0;
  } catch (err) {
    if (!(err instanceof ImportError)) throw err;
    console.error(`import refused, database unchanged:\n${err.message}`);
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('geo:import failed:', err);
    process.exit(1);
  },
);
