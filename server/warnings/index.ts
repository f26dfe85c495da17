/** The warnings engine's entry points (the job, the routes and bench/analytics call these). */
export { detectHotspots } from './hotspots';
export { detectSurges } from './surges';
export { detectPlaces } from './places';
export { detectNeeds } from './needs';
export { runWarnings, type WarningRun } from './run';
export { readWarningSettings } from './settings';
export type { Finding } from './finding';
