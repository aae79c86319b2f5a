import { describe, expect, it } from 'vitest';
import { buildPresignedUrl, signGrant, verifyPresignedRequest, type PresignGrant } from './presign-token';
import { isStorageError } from './errors';

const SECRET = 'a-test-secret-of-32-characters!!';
const KEY = 'factories/f1/images/a.png';
const NOW = 1_900_000_000;

function check(url: string, method = 'GET', now = NOW, secret = SECRET) {
  const u = new URL(url);
  const key = u.pathname.replace(/^\/blobs\//, '');
  return verifyPresignedRequest(secret, { method, key, query: u.searchParams }, now);
}

describe('presigned blob URLs', () => {
  const grant: PresignGrant = { method: 'PUT', key: KEY, expires: NOW + 60, contentType: 'image/png' };
  const url = buildPresignedUrl('http://api.local/blobs/', SECRET, grant);

  it('verify for the method, key and content type they were signed for', () => {
    expect(url.startsWith('http://api.local/blobs/factories/f1/images/a.png?')).toBe(true);
    expect(check(url, 'PUT')).toEqual({ ok: true, grant });
  });

  it('are refused once expired', () => {
    expect(check(url, 'PUT', NOW + 60).ok).toBe(true);
    expect(check(url, 'PUT', NOW + 61)).toEqual({ ok: false, reason: 'the URL has expired' });
  });

  it('are refused when any signed field is changed', () => {
    const tamper = (edit: (u: URL) => void) => {
      const u = new URL(url);
      edit(u);
      return check(u.toString(), 'PUT');
    };
    expect(tamper((u) => u.searchParams.set('expires', String(NOW + 999_999))).ok).toBe(false);
    expect(tamper((u) => u.searchParams.set('type', 'text/html')).ok).toBe(false);
    expect(tamper((u) => u.searchParams.delete('type')).ok).toBe(false);
    expect(tamper((u) => (u.pathname = '/blobs/factories/f2/images/a.png')).ok).toBe(false);
    expect(tamper((u) => u.searchParams.set('method', 'GET')).ok).toBe(false);
    expect(tamper((u) => u.searchParams.set('sig', 'A'.repeat(43))).ok).toBe(false);
    expect(tamper((u) => u.searchParams.delete('sig')).ok).toBe(false);
  });

  it('grant one method only and depend on the secret', () => {
    expect(check(url, 'GET')).toMatchObject({ ok: false, reason: expect.stringMatching(/grants PUT/) });
    expect(check(url, 'PUT', NOW, 'another-secret-of-enough-length').ok).toBe(false);
    const get = buildPresignedUrl('http://api.local/blobs', SECRET, { method: 'GET', key: KEY, expires: NOW + 5 });
    expect(check(get, 'HEAD').ok).toBe(true);
  });

  it('sign every field: changing one changes the signature', () => {
    const base = signGrant(SECRET, grant);
    expect(signGrant(SECRET, { ...grant, contentType: undefined })).not.toBe(base);
    expect(signGrant(SECRET, { ...grant, expires: grant.expires + 1 })).not.toBe(base);
    expect(signGrant(SECRET, { ...grant, key: `${KEY}x` })).not.toBe(base);
  });

  it('refuse a short secret', () => {
    try {
      signGrant('short', grant);
      expect.unreachable();
    } catch (err) {
      expect(isStorageError(err, 'MISCONFIGURED')).toBe(true);
    }
  });

  it('sign the byte limit of an upload: it cannot be raised or removed', () => {
    const limited = buildPresignedUrl('http://api.local/blobs', SECRET, { ...grant, maxBytes: 25 });
    expect(check(limited, 'PUT')).toEqual({ ok: true, grant: { ...grant, maxBytes: 25 } });
    const edited = (edit: (u: URL) => void) => {
      const u = new URL(limited);
      edit(u);
      return check(u.toString(), 'PUT').ok;
    };
    expect(edited((u) => u.searchParams.set('max', '60000000'))).toBe(false);
    expect(edited((u) => u.searchParams.delete('max'))).toBe(false);
    // The content type cannot smuggle the limit into another field either.
    expect(edited((u) => (u.searchParams.delete('max'), u.searchParams.set('type', 'image/png\n25')))).toBe(false);
    expect(edited((u) => u.searchParams.set('max', '-1'))).toBe(false);
  });
});
