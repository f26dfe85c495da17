/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The command room is air-gapped: no remote images, fonts or telemetry at run time.
  images: { unoptimized: true },
  // Server code (pg, ioredis, PGlite) runs in our own Node process, never inside Next's bundles.
  serverExternalPackages: ['pg', 'ioredis', '@electric-sql/pglite', '@electric-sql/pglite-postgis', '@electric-sql/pglite-socket'],
  typescript: { tsconfigPath: 'tsconfig.json' },
};

export default nextConfig;
