// Saving and loading models and training checkpoints through an injected key-value IO, so the
// worker can back it with blob storage and the CLI with a folder.
import * as tf from '@tensorflow/tfjs';
import { allVariables, buildDcgan, validateDcganConfig, type DcganConfig } from '../dcgan/dcgan-model';
import type { GanCheckpoint, SerializedTensor } from '../dcgan/checkpoint';
import { buildEncoder, encoderVariables } from './encoder';
import type { Calibration, InspectionModel } from './inspection-model';
import type { LocalFeatureDensity } from './local-feature-density';
import { PipelineError } from './pipeline-error';
import { decodeTensorBundle, encodeTensorBundle } from './tensor-bundle';
import { buildDefectMapNet, defectMapVariables, disposeDefectMapNet, type DefectMapConfig } from '../patch/defect-map-net';
import { validatePatchGeometry, type PatchGeometry } from '../patch/patch-spec';

/** Where artifacts go: named byte blobs. `read` rejects when the name does not exist. */
export interface ArtifactIO {
  write(name: string, bytes: Uint8Array): Promise<void> | void;
  read(name: string): Promise<Uint8Array> | Uint8Array;
}

export const MODEL_FILES = { manifest: 'model.json', data: 'model.bin' } as const;
export const CHECKPOINT_FILES = { manifest: 'checkpoint.json', data: 'checkpoint.bin' } as const;

interface ModelMeta {
  kind: 'gansight-model';
  config: DcganConfig;
  hasEncoder: boolean;
  calibration: Calibration | null;
  hyper: Record<string, unknown>;
  /** Patch models only: the tile geometry and the defect map's shape (its weights are tensors 'defectMap/i'). */
  patch?: PatchGeometry & { defectMap: DefectMapConfig | null; defectMapFlips?: boolean };
}

async function serialize(prefix: string, vars: tf.Variable[]): Promise<Array<SerializedTensor & { name: string }>> {
  return Promise.all(vars.map(async (v, i) => ({ name: `${prefix}/${i}`, shape: v.shape.slice(), values: (await v.data()) as Float32Array })));
}

function restore(prefix: string, vars: tf.Variable[], tensors: Map<string, SerializedTensor>, what: string): void {
  tf.tidy(() => vars.forEach((v, i) => {
    const t = tensors.get(`${prefix}/${i}`);
    if (!t || t.shape.join('x') !== v.shape.join('x')) {
      throw new PipelineError('BAD_ARTIFACT', `${what}: tensor ${prefix}/${i} has shape ${t?.shape.join('x') ?? 'none'}, the model needs ${v.shape.join('x')}.`);
    }
    v.assign(tf.tensor(t.values, t.shape));
  }));
}

// The local feature density's mean and Cholesky factors are millions of numbers: they travel as
// float32 tensors in the data blob, not as JSON in the manifest (10x smaller, exact).
const LOCAL_DENSITY_TENSORS = { mean: 'calibration/localFeatureDensity/mean', factor: 'calibration/localFeatureDensity/factor' } as const;

function splitCalibration(c: Calibration | null): { manifest: Calibration | null; tensors: Array<SerializedTensor & { name: string }> } {
  const local = c?.localFeatureDensity;
  if (!c || !local) return { manifest: c, tensors: [] };
  const { mean, factor, ...rest } = local;
  return {
    manifest: { ...c, localFeatureDensity: rest as LocalFeatureDensity },
    tensors: [
      { name: LOCAL_DENSITY_TENSORS.mean, shape: [mean.length], values: mean },
      { name: LOCAL_DENSITY_TENSORS.factor, shape: [factor.length], values: factor },
    ],
  };
}

function joinCalibration(c: Calibration | null, tensors: Map<string, SerializedTensor>): Calibration | null {
  const local = c?.localFeatureDensity;
  if (!c || !local) return c;
  const mean = tensors.get(LOCAL_DENSITY_TENSORS.mean);
  const factor = tensors.get(LOCAL_DENSITY_TENSORS.factor);
  const positions = local.grid * local.grid;
  const dims = local.channels?.length ?? 0;
  if (!mean || !factor || mean.values.length !== positions * dims || factor.values.length !== (positions * dims * (dims + 1)) / 2) {
    throw new PipelineError('BAD_ARTIFACT', 'model: the local feature density\'s tensors are missing or do not match its shape; the artifact is damaged, retrain or restore it.');
  }
  return { ...c, localFeatureDensity: { ...local, mean: Float32Array.from(mean.values), factor: Float32Array.from(factor.values) } };
}

async function readPair(io: ArtifactIO, files: { manifest: string; data: string }): Promise<[Uint8Array, Uint8Array]> {
  return [await io.read(files.manifest), await io.read(files.data)];
}

function patchMeta(p: NonNullable<InspectionModel['patch']>): NonNullable<ModelMeta['patch']> {
  const { defectMap, ...geometry } = p;
  return { ...geometry, defectMap: defectMap ? defectMap.config : null };
}

/** Writes G, D, the encoder (if any), calibration and hyper-parameters; data first, so a manifest never points at missing data. */
export async function saveInspectionModel(io: ArtifactIO, model: InspectionModel): Promise<void> {
  const calibration = splitCalibration(model.calibration);
  const tensors = [
    ...(await serialize('dcgan', allVariables(model.dcgan))),
    ...(model.encoder ? await serialize('encoder', encoderVariables(model.encoder)) : []),
    ...(model.patch?.defectMap ? await serialize('defectMap', defectMapVariables(model.patch.defectMap)) : []),
    ...calibration.tensors,
  ];
  const meta: ModelMeta = {
    kind: 'gansight-model', config: model.dcgan.config, hasEncoder: model.encoder !== null, calibration: calibration.manifest, hyper: model.hyper,
    ...(model.patch ? { patch: patchMeta(model.patch) } : {}),
  };
  const { manifest, data } = encodeTensorBundle(meta, tensors);
  await io.write(MODEL_FILES.data, data);
  await io.write(MODEL_FILES.manifest, manifest);
}

/** Loads a model saved by saveInspectionModel; a damaged artifact throws PipelineError BAD_ARTIFACT. */
export async function loadInspectionModel(io: ArtifactIO): Promise<InspectionModel> {
  const { meta, tensors } = decodeTensorBundle<ModelMeta>(...(await readPair(io, MODEL_FILES)), 'model');
  if (meta?.kind !== 'gansight-model') throw new PipelineError('BAD_ARTIFACT', 'model: the manifest does not describe a gansight model.');
  try {
    validateDcganConfig(meta.config);
  } catch (cause) {
    throw new PipelineError('BAD_ARTIFACT', `model: ${(cause as Error).message}`, { cause });
  }
  const calibration = joinCalibration(meta.calibration ?? null, tensors);
  if (meta.patch) {
    try {
      validatePatchGeometry(meta.patch);
    } catch (cause) {
      throw new PipelineError('BAD_ARTIFACT', `model: ${(cause as Error).message}`, { cause });
    }
    if (meta.patch.patch !== meta.config.size) throw new PipelineError('BAD_ARTIFACT', `model: the patch (${meta.patch.patch}) differs from the GAN's size (${meta.config.size}).`);
  }
  const dcgan = buildDcgan(meta.config);
  const encoder = meta.hasEncoder ? buildEncoder(meta.config) : null;
  const defectMap = meta.patch?.defectMap ? buildDefectMapNet(meta.patch.defectMap) : null;
  try {
    restore('dcgan', allVariables(dcgan), tensors, 'model');
    if (encoder) restore('encoder', encoderVariables(encoder), tensors, 'model');
    if (defectMap) restore('defectMap', defectMapVariables(defectMap), tensors, 'model');
  } catch (error) {
    tf.dispose([...allVariables(dcgan), ...(encoder ? encoderVariables(encoder) : [])]);
    if (defectMap) disposeDefectMapNet(defectMap);
    throw error;
  }
  const model: InspectionModel = { dcgan, encoder, calibration, hyper: meta.hyper ?? {} };
  if (meta.patch) {
    const { defectMap: _config, ...geometry } = meta.patch;
    model.patch = { ...geometry, defectMap };
  }
  return model;
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Replaces a saved model's calibration by rewriting its manifest only, in one write: the data
 * blob (weights and density tensors) is left as it is, so a failure at any point leaves the
 * model as it was. The new calibration must carry the tensors already stored (a threshold
 * change, not a new density); otherwise BAD_INPUT, and nothing is written.
 */
export async function replaceModelCalibration(io: ArtifactIO, calibration: Calibration): Promise<void> {
  const [manifestBytes, dataBytes] = await readPair(io, MODEL_FILES);
  const { meta, tensors } = decodeTensorBundle<ModelMeta>(manifestBytes, dataBytes, 'model');
  if (meta?.kind !== 'gansight-model') throw new PipelineError('BAD_ARTIFACT', 'model: the manifest does not describe a gansight model.');
  const split = splitCalibration(calibration);
  const stored = [...tensors.keys()].filter((name) => name.startsWith('calibration/'));
  const same = stored.length === split.tensors.length && split.tensors.every((t) => {
    const s = tensors.get(t.name);
    return s !== undefined && sameValues(s.values, t.values);
  });
  if (!same) throw new PipelineError('BAD_INPUT', 'model: the new calibration\'s densities differ from the stored ones; save the whole model instead.');
  const { manifest, data } = encodeTensorBundle({ ...meta, calibration: split.manifest }, [...tensors].map(([name, t]) => ({ name, ...t })));
  // Same entries in the same order give the same data bytes: the old blob stays valid.
  if (!sameValues(data, dataBytes)) throw new PipelineError('BAD_ARTIFACT', 'model: re-encoding the stored tensors changed them; nothing was written.');
  await io.write(MODEL_FILES.manifest, manifest);
}

/** Writes a training checkpoint (weights, Adam state, RNG state). */
export async function saveGanCheckpoint(io: ArtifactIO, ckpt: GanCheckpoint, extra: Record<string, unknown> = {}): Promise<void> {
  const { tensors, ...meta } = ckpt;
  const { manifest, data } = encodeTensorBundle({ ...meta, extra }, tensors.map((t, i) => ({ ...t, name: `t/${i}` })));
  await io.write(CHECKPOINT_FILES.data, data);
  await io.write(CHECKPOINT_FILES.manifest, manifest);
}

/** Reads a checkpoint written by saveGanCheckpoint, with the extra metadata stored beside it. */
export async function loadGanCheckpoint(io: ArtifactIO): Promise<{ checkpoint: GanCheckpoint; extra: Record<string, unknown> }> {
  type Meta = Omit<GanCheckpoint, 'tensors'> & { extra: Record<string, unknown> };
  const { meta, tensors } = decodeTensorBundle<Meta>(...(await readPair(io, CHECKPOINT_FILES)), 'checkpoint');
  if (meta?.format !== 'gansight-dcgan-checkpoint') throw new PipelineError('BAD_ARTIFACT', 'checkpoint: not a gansight DCGAN checkpoint.');
  const { extra, ...rest } = meta;
  const list = Array.from({ length: tensors.size }, (_, i) => {
    const t = tensors.get(`t/${i}`);
    if (!t) throw new PipelineError('BAD_ARTIFACT', `checkpoint: tensor ${i} is missing.`);
    return t;
  });
  return { checkpoint: { ...rest, tensors: list }, extra: extra ?? {} };
}

/** An in-memory ArtifactIO (tests, and a staging area before upload). */
export function memoryArtifactIO(store = new Map<string, Uint8Array>()): ArtifactIO & { store: Map<string, Uint8Array> } {
  return {
    store,
    write: (name, bytes) => { store.set(name, bytes.slice()); },
    read: (name) => {
      const b = store.get(name);
      if (!b) throw new PipelineError('BAD_ARTIFACT', `artifact ${name} does not exist.`);
      return b;
    },
  };
}
