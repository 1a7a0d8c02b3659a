/** @type {import('next').NextConfig} */
const nextConfig = {
  // A separate build directory lets several checkouts' browser tests build side by side.
  distDir: process.env.OUTFLOW_DIST_DIR ?? ".next",
  // PGlite loads its WebAssembly and data files from its own package directory at run time.
  serverExternalPackages: ["@electric-sql/pglite"],
  poweredByHeader: false,
  // `npm start` builds to serve: `npm test` checks the types, and each of its builds goes to a
  // fresh directory, where a build cache would never be read again.
  typescript: { ignoreBuildErrors: process.env.OUTFLOW_START_BUILD === "1" },
  experimental: {
    turbopackFileSystemCacheForBuild: process.env.OUTFLOW_START_BUILD !== "1",
  },
  typedRoutes: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
