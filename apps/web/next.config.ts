import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  devIndicators: false,
  // @gansight/client is TypeScript source in this repository (ADR 0001: no build step).
  transpilePackages: ['@gansight/client'],
  // /graphql and /blobs reach the API through proxy.ts, which reads the API's origin at run
  // time (ADR 0062). Uploads pass through it whole: up to the API's 25 MiB image limit.
  experimental: { proxyClientMaxBodySize: '26mb' },
};

export default config;
