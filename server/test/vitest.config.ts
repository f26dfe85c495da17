import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const resolve: ViteUserConfig['resolve'] = { alias: { '@': root } };

/*
 * Two projects. The pure tests (lib/, app/, geo/: no database, no Redis, no server; eslint keeps
 * server/ out of lib/ and app/) run two files at a time, one per core: they share nothing. The
 * integration tests (server/, bench/) share one database, and some change it and put it back, so
 * they run one file at a time, after the pure ones (vitest runs a project with one worker last).
 * Each file still gets a fresh module graph (isolate) in both.
 */
export default defineConfig({
  root,
  resolve,
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'app/**/*.test.ts', 'geo/**/*.test.ts'],
          // vitest's default is one worker less than the cores: one, on this 2-core machine.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['server/**/*.test.ts', 'bench/**/*.test.ts'],
          globalSetup: ['server/test/global-setup.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
