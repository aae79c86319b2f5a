// Named float32 tensors plus JSON metadata as two byte blobs (a manifest and the raw values),
// so any key-value store (blob storage, a folder, memory) can hold a model or a checkpoint.
import type { SerializedTensor } from '../dcgan/checkpoint';
import { PipelineError } from './pipeline-error';

export interface BundleEntry {
  name: string;
  shape: number[];
  /** Offset into the data blob, in float32 elements. */
  offset: number;
}

interface Manifest<M> {
  format: 'gansight-tensor-bundle';
  version: 1;
  meta: M;
  entries: BundleEntry[];
  /** Total float32 elements in the data blob, so truncation is detected. */
  length: number;
}

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Encodes metadata and named tensors as { manifest (UTF-8 JSON), data (little-endian float32) }. */
export function encodeTensorBundle<M>(meta: M, tensors: Array<SerializedTensor & { name: string }>): { manifest: Uint8Array; data: Uint8Array } {
  let length = 0;
  const entries = tensors.map((t) => {
    if (t.values.length !== sizeOf(t.shape)) throw new RangeError(`tensor ${t.name}: ${t.values.length} values for shape ${t.shape.join('x')}`);
    const e = { name: t.name, shape: t.shape.slice(), offset: length };
    length += t.values.length;
    return e;
  });
  const values = new Float32Array(length);
  tensors.forEach((t, i) => values.set(t.values, entries[i]!.offset));
  const manifest: Manifest<M> = { format: 'gansight-tensor-bundle', version: 1, meta, entries, length };
  return { manifest: new TextEncoder().encode(JSON.stringify(manifest)), data: new Uint8Array(values.buffer) };
}

/** Decodes a bundle; a damaged, truncated or foreign blob throws PipelineError BAD_ARTIFACT naming `what`. */
export function decodeTensorBundle<M>(manifestBytes: Uint8Array, data: Uint8Array, what: string): { meta: M; tensors: Map<string, SerializedTensor> } {
  let manifest: Manifest<M>;
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(manifestBytes)) as Manifest<M>;
  } catch (cause) {
    throw new PipelineError('BAD_ARTIFACT', `${what}: the manifest is not valid JSON (${(cause as Error).message}); the artifact is damaged, retrain or restore it.`, { cause });
  }
  if (manifest?.format !== 'gansight-tensor-bundle' || manifest.version !== 1 || !Array.isArray(manifest.entries)) {
    throw new PipelineError('BAD_ARTIFACT', `${what}: not a gansight tensor bundle (v1).`);
  }
  if (data.byteLength !== manifest.length * 4) {
    throw new PipelineError('BAD_ARTIFACT', `${what}: the data holds ${data.byteLength} bytes, the manifest needs ${manifest.length * 4}; the file is truncated or from another model.`);
  }
  // Copy: the bytes may sit at an offset that is not a multiple of 4 (e.g. a Node Buffer slice).
  const all = new Float32Array(data.slice().buffer);
  const tensors = new Map<string, SerializedTensor>();
  for (const e of manifest.entries) {
    const n = sizeOf(e.shape);
    if (!(e.offset >= 0 && e.offset + n <= manifest.length)) throw new PipelineError('BAD_ARTIFACT', `${what}: tensor ${e.name} lies outside the data.`);
    const values = all.subarray(e.offset, e.offset + n);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) throw new PipelineError('BAD_ARTIFACT', `${what}: tensor ${e.name} holds a non-finite value; the model diverged or the file is damaged.`);
    }
    tensors.set(e.name, { shape: e.shape, values });
  }
  return { meta: manifest.meta, tensors };
}
