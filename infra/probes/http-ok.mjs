// Container health check for the HTTP roles: exits 0 when URL answers below 400 within 4 s.
// Plain JavaScript (no tsx) because Docker runs it every few seconds; the base images have no
// curl or wget.
const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: node infra/probes/http-ok.mjs URL\n');
  process.exit(2);
}
try {
  const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(4000) });
  if (res.status >= 400) process.stderr.write(`${url} answered ${res.status}\n`);
  process.exit(res.status < 400 ? 0 : 1);
} catch (err) {
  process.stderr.write(`${url} did not answer: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
