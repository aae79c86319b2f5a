import type { NextConfig } from 'next';

// The dashboard talks to the GraphQL API through its own origin (/graphql is proxied), so
// browsers need no CORS exceptions and session cookies stay first-party.
const apiOrigin = process.env.GANSIGHT_API_ORIGIN ?? `http://127.0.0.1:${process.env.API_PORT ?? 4000}`;

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  devIndicators: false,
  // @gansight/client is TypeScript source in this repository (ADR 0001: no build step).
  transpilePackages: ['@gansight/client'],
  async rewrites() {
    return [{ source: '/graphql', destination: `${apiOrigin}/graphql` }];
  },
};

export default config;
