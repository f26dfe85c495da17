import type { Db } from '../db/pool';
import { inTransaction } from '../db/pool';
import { seedDemoAccounts } from './accounts';
import { seedDemoDevices } from './devices';
import { seedGeography, seedStations } from './geography';
import { buildRoster, insertRoster, loadStationRows, seedDepartments } from './people';
import { seedPlaces } from './places';
import { seedKeyPersons } from './key-persons';
import { seedMediation } from './mediation';
import { seedReviews } from './reviews';

export async function isEmpty(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM regions`);
  return rows[0].n === 0;
}

/** The demo district in one transaction: all of it or none of it. */
export async function seedDemo(db: Db, log: (line: string) => void = () => {}): Promise<void> {
  await inTransaction(db, async (tx) => {
    const counts = await seedGeography(tx);
    log(`geography: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    const stationIds = await seedStations(tx);
    await seedDepartments(tx, new Date());
    const roster = buildRoster(await loadStationRows(tx));
    await insertRoster(tx, roster);
    log(`${stationIds.length} stations, ${roster.people.length} people, ${roster.units.length} units`);
    await seedPlaces(tx);
    log(`${await seedKeyPersons(tx)} key persons`);
    const med = await seedMediation(tx);
    log(`${med.studios} mediation studios, ${med.mediators} mediators`);
    await seedDemoAccounts(tx, stationIds[0]);
    const rev = await seedReviews(tx);
    log(`${rev.reviews} station reviews, ${rev.records} accountability records`);
    await seedDemoDevices(tx);
  });
}
