// The synthetic check of a texture (runSyntheticInspection), trained once per test run however
// many test files read it: training the solar model takes half a minute or more, and two files
// need it. The first file to ask trains it and writes the model's artifacts, the report and the
// test images to the run's folder (made by synthetic-cache-setup.ts); the others, in this worker
// or another, wait for that file and read it. Every caller gets the model as loaded from its
// artifacts, so what a test sees does not depend on which file happened to train it.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { deserialize, serialize } from 'node:v8';
import { disposeDcgan } from '../dcgan/dcgan-model';
import { disposeEncoder } from '../pipeline/encoder';
import type { EvaluationReport } from '../pipeline/evaluate-inspection';
import { loadInspectionModel, memoryArtifactIO, saveInspectionModel } from '../pipeline/model-artifacts';
import { runSyntheticInspection, type SyntheticInspection } from '../pipeline/synthetic-inspection';
import type { SyntheticImage, TextureKind } from '../pipeline/synthetic-textures';

/** The run's cache folder; without it (a config without the globalSetup) each file trains its own. */
export const SYNTHETIC_CACHE_ENV = 'GANSIGHT_TEST_SYNTHETIC_CACHE';

interface Cached {
  artifacts: Array<[string, Uint8Array]>;
  report: EvaluationReport;
  test: SyntheticImage[];
}

/** How long a waiting file gives the training one: far more than training takes on a busy machine. */
const WAIT_MS = 30 * 60_000;

/** The trained, calibrated and evaluated check of `kind`, trained at most once per test run. */
export async function sharedSyntheticInspection(kind: TextureKind): Promise<SyntheticInspection> {
  const dir = process.env[SYNTHETIC_CACHE_ENV];
  if (!dir) return runSyntheticInspection(kind);
  const done = path.join(dir, `${kind}.v8`);
  const failed = path.join(dir, `${kind}.failed`);
  // mkdir is atomic: exactly one file wins the right to train; the others wait for its result.
  const won = await mkdir(path.join(dir, `${kind}.lock`)).then(() => true, (e: NodeJS.ErrnoException) => {
    if (e.code === 'EEXIST') return false;
    throw e;
  });
  if (won) {
    try {
      await writeAtomically(done, serialize(await trainAndSerialise(kind)));
    } catch (e) {
      await writeFile(failed, String((e as Error).stack ?? e));
      throw e;
    }
  }
  return fromCache(await waitFor(done, failed, kind));
}

async function trainAndSerialise(kind: TextureKind): Promise<Cached> {
  const { model, report, test } = await runSyntheticInspection(kind);
  const io = memoryArtifactIO();
  await saveInspectionModel(io, model);
  disposeDcgan(model.dcgan);
  if (model.encoder) disposeEncoder(model.encoder);
  return { artifacts: [...io.store], report, test };
}

async function writeAtomically(file: string, bytes: Uint8Array): Promise<void> {
  await writeFile(`${file}.partial`, bytes);
  await rename(`${file}.partial`, file);
}

async function waitFor(done: string, failed: string, kind: TextureKind): Promise<Buffer> {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const bytes = await readFile(done).catch(() => null);
    if (bytes) return bytes;
    const error = await readFile(failed, 'utf8').catch(() => null);
    if (error !== null) throw new Error(`training the shared synthetic ${kind} model failed in another test file:\n${error}`);
    if (Date.now() > until) throw new Error(`the shared synthetic ${kind} model did not appear in ${done} within ${WAIT_MS / 60_000} minutes.`);
    await sleep(1000);
  }
}

async function fromCache(bytes: Buffer): Promise<SyntheticInspection> {
  const { artifacts, report, test } = deserialize(bytes) as Cached;
  const model = await loadInspectionModel(memoryArtifactIO(new Map(artifacts)));
  return { model, report, test };
}
