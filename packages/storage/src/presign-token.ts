import { createHmac, timingSafeEqual } from 'node:crypto';
import { StorageError } from './errors';

// Versioned so the scheme can change without old URLs verifying under new rules. v2 grants
// carry a byte limit; a v2 URL stripped of it no longer verifies (the scheme is signed too).
const SCHEME_V1 = 'gansight-blob-v1';
const SCHEME_V2 = 'gansight-blob-v2';
const MIN_SECRET_LENGTH = 16;

export type PresignMethod = 'GET' | 'PUT';

/** What a presigned URL grants: one method on one key until a moment, maybe for one content type. */
export interface PresignGrant {
  method: PresignMethod;
  key: string;
  /** Unix time in seconds after which the URL is refused. */
  expires: number;
  contentType?: string;
  /** PUT only: the most bytes the upload may have; the handler stops reading past it. */
  maxBytes?: number;
}

/** Query parameter names carried by a presigned URL. */
export const PRESIGN_PARAMS = { expires: 'expires', contentType: 'type', signature: 'sig', method: 'method', maxBytes: 'max' } as const;

/** Throws MISCONFIGURED unless the secret is long enough to resist guessing. */
export function checkPresignSecret(secret: string | undefined): string {
  if (secret === undefined || secret.length < MIN_SECRET_LENGTH) {
    throw new StorageError(
      'MISCONFIGURED',
      `the blob URL signing secret must be at least ${MIN_SECRET_LENGTH} characters`,
    );
  }
  return secret;
}

/** The HMAC-SHA256 signature (base64url) over every field of the grant. */
export function signGrant(secret: string, grant: PresignGrant): string {
  const fields = [grant.method, grant.key, String(grant.expires), grant.contentType ?? ''];
  const payload = (grant.maxBytes === undefined ? [SCHEME_V1, ...fields] : [SCHEME_V2, ...fields, String(grant.maxBytes)]).join('\n');
  return createHmac('sha256', checkPresignSecret(secret)).update(payload).digest('base64url');
}

/** `<baseUrl>/<key>?method=..&expires=..[&type=..][&max=..]&sig=..` for the blob handler. */
export function buildPresignedUrl(baseUrl: string, secret: string, grant: PresignGrant): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/${grant.key}`);
  url.searchParams.set(PRESIGN_PARAMS.method, grant.method);
  url.searchParams.set(PRESIGN_PARAMS.expires, String(grant.expires));
  if (grant.contentType !== undefined) url.searchParams.set(PRESIGN_PARAMS.contentType, grant.contentType);
  if (grant.maxBytes !== undefined) url.searchParams.set(PRESIGN_PARAMS.maxBytes, String(grant.maxBytes));
  url.searchParams.set(PRESIGN_PARAMS.signature, signGrant(secret, grant));
  return url.toString();
}

export type GrantCheck = { ok: true; grant: PresignGrant } | { ok: false; reason: string };

/**
 * Checks a request against the grant its URL claims: signature first (constant time), then
 * expiry, so that a tampered URL never learns whether it would also have expired.
 */
export function verifyPresignedRequest(
  secret: string,
  request: { method: string; key: string; query: URLSearchParams },
  nowSeconds: number = Math.floor(Date.now() / 1000),
): GrantCheck {
  const q = request.query;
  const signature = q.get(PRESIGN_PARAMS.signature);
  const expiresText = q.get(PRESIGN_PARAMS.expires);
  const method = q.get(PRESIGN_PARAMS.method);
  if (!signature || !expiresText || !/^\d{1,12}$/.test(expiresText) || (method !== 'GET' && method !== 'PUT')) {
    return { ok: false, reason: 'the URL is not a presigned blob URL' };
  }
  const requested = request.method === 'HEAD' ? 'GET' : request.method;
  if (requested !== method) return { ok: false, reason: `the URL grants ${method}, not ${request.method}` };
  const contentType = q.get(PRESIGN_PARAMS.contentType) ?? undefined;
  const maxText = q.get(PRESIGN_PARAMS.maxBytes);
  if (maxText !== null && !/^\d{1,15}$/.test(maxText)) return { ok: false, reason: 'the URL is not a presigned blob URL' };
  const grant: PresignGrant = {
    method,
    key: request.key,
    expires: Number(expiresText),
    contentType,
    ...(maxText !== null ? { maxBytes: Number(maxText) } : {}),
  };
  const expected = Buffer.from(signGrant(secret, grant));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'the URL signature is invalid' };
  }
  if (nowSeconds > grant.expires) return { ok: false, reason: 'the URL has expired' };
  return { ok: true, grant };
}
