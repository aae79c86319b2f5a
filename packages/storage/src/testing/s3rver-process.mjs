// Runs s3rver in its own process. It needs --openssl-legacy-provider: s3rver encrypts list
// continuation tokens with DES, which OpenSSL 3 (Node 18+) only offers through that flag, and
// without it every truncated listing answers 500. Prints {"port":N} once listening; exits on
// SIGTERM or when the parent closes stdin (so a crashed test run leaves no server behind).
import S3rver from 's3rver';

const directory = process.argv[2];
if (!directory) {
  process.stderr.write('usage: s3rver-process.mjs <data-directory> [port]\n');
  process.exit(2);
}
const server = new S3rver({ address: '127.0.0.1', port: Number(process.argv[3] ?? 0), directory, silent: true });
const { port } = await server.run();
process.stdout.write(`${JSON.stringify({ port })}\n`);

let closing = false;
const shutdown = () => {
  if (closing) return;
  closing = true;
  server.close().finally(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.stdin.on('end', shutdown);
process.stdin.resume();
