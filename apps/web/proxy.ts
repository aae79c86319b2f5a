import { NextResponse, type NextRequest } from 'next/server';
import { apiOrigin } from './src/lib/api-origin';

// The dashboard talks to the API through its own origin, so browsers need no CORS exceptions
// and session cookies stay first-party: /graphql (HTTP and the graphql-ws socket) and /blobs
// (presigned uploads) go on to the API. A rewrite in next.config.ts would do the same but
// `next build` bakes its destination into the build; this runs per request (ADR 0062).
export function proxy(request: NextRequest): NextResponse {
  const { pathname, search } = request.nextUrl;
  return NextResponse.rewrite(new URL(`${pathname}${search}`, apiOrigin()));
}

export const config = { matcher: ['/graphql', '/blobs/:path*'] };
