// Measures the dashboard in headless Chromium against a year of data (docs/PERFORMANCE.md,
// "Dashboard"): the stack as `npm start` runs it, one factory with one million inspections over
// the last 365 days (written straight into PostgreSQL: the rollup triggers keep the statistics
// exactly as for the worker's writes), then
//   - the overview over 12 months (by week) and 30 days (by day), and the inspections page:
//     time from navigation to the data drawn, each page visited once before (next dev compiles a
//     route on its first visit; that is not the page's cost);
//   - the inspections grid scrolled through 10,000 rows: frame intervals while it scrolls.
// `npm run bench:dashboard [-- --inspections N] [--production]`: --production builds the
// dashboard (`next build`, a few minutes) and serves it with `next start`, as infra/ deploys it,
// instead of `next dev`. The build is made for this run's API port: Next bakes the /graphql
// rewrite's destination into the build.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CreateProductDocument, DefectBreakdownDocument, DefectTrendsDocument, InspectionListDocument, type BreakdownGroup } from '@gansight/client';
import { freePort, startStack } from '@gansight/cli';
import { loadConfig } from '@gansight/config';
import { createImage, createModel, updateModel, activateModel } from '@gansight/db';
import { launchBrowser } from './support/browser';
import { newDashboardPage, signInThroughForm } from './support/dashboard-page';
import { signIn } from './support/dashboard-seed';
import { repoRoot, runCli } from './support/run-cli';
import { startWeb, type RunningWeb } from '../apps/cli/src/stack/start-web';

const arg = process.argv.indexOf('--inspections');
const TOTAL = arg > 0 ? Number(process.argv[arg + 1]) : 1_000_000;
const PRODUCTION = process.argv.includes('--production');
const PASSWORD = 'a long password';
const EMAIL = 'ops@acme.example';

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gansight-bench-web-'));
const env = { GANSIGHT_DATA_DIR: dataDir, API_PORT: String(await freePort()), WEB_PORT: String(await freePort()), START_WORKER: 'false', START_WEB: String(!PRODUCTION) };
if (PRODUCTION) {
  console.log('building the dashboard…');
  // The build holds no API address; startWeb gives the API's port at start (ADR 0062).
  execFileSync('npx', ['next', 'build'], { cwd: path.join(repoRoot, 'apps/web'), stdio: 'ignore' });
}
const stack = await startStack(loadConfig(env), () => undefined);
const web: RunningWeb | null = PRODUCTION ? await startWeb({ port: Number(env.WEB_PORT), apiPort: stack.api.port, mode: 'start', log: () => undefined }) : null;
const webUrl = web?.url ?? stack.web!.url;
const results: Record<string, unknown> = { inspections: TOTAL, web: PRODUCTION ? 'next start' : 'next dev' };
try {
  const created = await runCli(['factory', 'create', '--name', 'Acme Tiles', '--admin-email', EMAIL, '--admin-password', PASSWORD], env);
  const { factoryId } = JSON.parse(created.stdout) as { factoryId: string };
  const api = await signIn(stack.api.url, EMAIL, PASSWORD, factoryId);
  const { createProduct } = await api.request(CreateProductDocument, { input: { name: 'Magnetic tile', imageSize: 64, channels: 1 } });
  const db = stack.database.db;
  const model = await createModel(db, factoryId, { productId: createProduct.id });
  await updateModel(db, factoryId, model.id, { status: 'READY', threshold: 1, scoreNormalisation: { threshold: 1, min: 0, max: 2 } });
  await activateModel(db, factoryId, model.id);
  const { image } = await createImage(db, factoryId, {
    productId: createProduct.id, blobKey: `factories/${factoryId}/images/bench.png`, sha256: 'b'.repeat(64), width: 64, height: 64,
    contentType: 'image/png', byteSize: 1, label: 'UNLABELED', split: 'NONE', source: 'LINE',
  });

  const seedStart = performance.now();
  const BATCH = 100_000;
  for (let done = 0; done < TOTAL; done += BATCH) {
    const n = Math.min(BATCH, TOTAL - done);
    // Spread evenly over the last 365 days; ~4% defective; 4 lines x 6 stations.
    await db.$executeRawUnsafe(`
      INSERT INTO "Inspection" ("id", "factoryId", "productId", "modelId", "imageId", "status", "anomalyScore", "normalizedScore", "threshold", "verdict", "line", "station", "createdAt", "completedAt")
      SELECT 'bench' || ($1::int + g), $2, $3, $4, $5, 'DONE', s, LEAST(1, GREATEST(0, s / 2)), 1,
             (CASE WHEN s > 1 THEN 'FAIL' ELSE 'PASS' END)::"Verdict",
             'L' || (1 + (g % 4)), 'S' || (1 + (g % 6)), t, t
      FROM (SELECT g, now() - (($1::int + g)::float8 / $6::float8) * interval '365 days' AS t,
                   CASE WHEN random() < 0.04 THEN 1 + random() ELSE random() END AS s
            FROM generate_series(1, $7::int) g) x`,
      done, factoryId, createProduct.id, model.id, image.id, TOTAL, n);
  }
  await db.$executeRawUnsafe('ANALYZE "Inspection"');
  results.seedSeconds = Number(((performance.now() - seedStart) / 1000).toFixed(1));
  console.log(`seeded ${TOTAL} inspections in ${results.seedSeconds} s`);

  // The API's share: each query the two pages send, timed alone (median of 3, ms).
  const median = async (run: () => Promise<unknown>) => {
    const t: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await run();
      t.push(performance.now() - t0);
    }
    return Math.round(t.sort((x, y) => x - y)[1]!);
  };
  const now = new Date();
  const days = (n: number) => new Date(now.getTime() - n * 86_400_000).toISOString();
  const apiMs: Record<string, number> = {};
  apiMs.trends365dWeek = await median(() => api.request(DefectTrendsDocument, { from: days(365), to: now.toISOString(), bucket: 'WEEK', productId: createProduct.id }));
  apiMs.trends30dDay = await median(() => api.request(DefectTrendsDocument, { from: days(30), to: now.toISOString(), bucket: 'DAY', productId: createProduct.id }));
  for (const g of ['PRODUCT', 'LINE', 'STATION', 'DEFECT_TYPE'] as BreakdownGroup[]) {
    apiMs[`breakdown365d${g}`] = await median(() => api.request(DefectBreakdownDocument, { from: days(365), to: now.toISOString(), groupBy: g }));
  }
  apiMs.inspectionsFirstPage = await median(() => api.request(InspectionListDocument, { first: 100 }));
  results.apiMs = apiMs;

  const browser = await launchBrowser();
  const page = await newDashboardPage(browser);
  if (process.env.DEBUG_WEB) { page.on('console', (m) => console.log('console', m.type(), m.text())); page.on('response', (r) => console.log('resp', r.status(), r.url())); page.on('pageerror', (e) => console.log('pageerror', e.message)); }
  await signInThroughForm(page, webUrl, EMAIL, PASSWORD);
  const f = `${webUrl}/f/${factoryId}`;
  const timed = async (url: string, ready: () => Promise<unknown>) => {
    await page.goto(url);
    await ready(); // first visit: next dev compiles the route
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await page.goto(url);
      await ready();
      samples.push(Math.round(performance.now() - t0));
    }
    return samples;
  };
  const overviewReady = async () => {
    await page.getByTestId('defect-rate-chart').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="kpi-total"]')?.textContent?.includes('…'));
    await page.getByRole('table', { name: 'Defect rate by station' }).waitFor();
  };
  results.overview12MonthsMs = await timed(`${f}?range=365d`, overviewReady);
  results.overview30DaysMs = await timed(`${f}?range=30d`, overviewReady);
  results.inspectionsMs = await timed(`${f}/inspections`, () => page.getByTestId('inspection-scroller').getByRole('row').first().waitFor());

  // Scroll through 10,000 rows: the grid fetches 100 more as its end comes into view.
  // A string, not a function: tsx would wrap a function's inner helpers in its own __name().
  const scroll = await page.evaluate(`(async () => {
    const el = document.querySelector('[data-testid="inspection-scroller"]');
    const frames = [];
    let last = performance.now();
    let running = true;
    const tick = (now) => { frames.push(now - last); last = now; if (running) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    const started = performance.now();
    const rowsShown = () => Number(document.querySelector('[role="table"][aria-label="Inspections"]')?.getAttribute('aria-rowcount') ?? 0);
    while (rowsShown() < 10000 && performance.now() - started < 300000) {
      el.scrollTop += 400; // ten rows a frame: a brisk scroll
      await new Promise((r) => requestAnimationFrame(r));
    }
    running = false;
    const sorted = [...frames].sort((a, b) => a - b);
    return {
      rows: rowsShown(),
      seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
      frames: frames.length,
      medianFrameMs: Number(sorted[Math.floor(sorted.length / 2)].toFixed(1)),
      p99FrameMs: Number(sorted[Math.floor(sorted.length * 0.99)].toFixed(1)),
      framesOver50Ms: frames.filter((d) => d > 50).length,
      domRows: document.querySelectorAll('[data-testid="inspection-scroller"] [role="row"]').length,
    };
  })()`);
  results.scroll10k = scroll;
  await browser.close();
  console.log(JSON.stringify(results));
} finally {
  await web?.stop();
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
