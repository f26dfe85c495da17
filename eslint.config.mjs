import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: ['.next/**', 'node_modules/**', 'data/**', 'test-results/**', 'geo/out/**', 'next-env.d.ts'] },
  { rules: { '@typescript-eslint/no-explicit-any': 'error' } },
  // Boundaries (issue 11): the browser's code and the pure domain never reach into the server;
  // the server's domain code never reaches into its HTTP layer (it throws server/errors.ts).
  {
    files: ['app/**/*.{ts,tsx}', 'lib/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '@/server/**'], message: 'app/ and lib/ never import server/: wire types live in lib/contracts.' }] }],
    },
  },
  {
    files: ['lib/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '@/server/**', '**/app/**', '@/app/**'], message: 'lib/ is the domain without I/O: it imports neither server/ nor app/.' }] }],
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: ['server/http/**', 'server/test/**', 'server/main.ts', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/http/**', '@/server/http/**'], message: 'Domain code never imports server/http: throw a DomainError (server/errors.ts); the router maps it to a status.' }] }],
    },
  },
];

export default config;
