// Each DONE inspection keeps its inverted latent z* as a small blob (float32, little-endian),
// so that a lot's set-level Frechet distance is measured without inverting its images again.
import { blobKey, isStorageError, type BlobStore } from '@gansight/storage';

export function latentKey(factoryId: string, inspectionId: string): string {
  return `${blobKey(factoryId, 'inspections', inspectionId)}/latent.f32`;
}

export async function storeLatent(blobs: BlobStore, key: string, z: Float32Array): Promise<void> {
  const bytes = Buffer.alloc(z.length * 4);
  z.forEach((v, i) => bytes.writeFloatLE(v, i * 4));
  await blobs.put(key, bytes, { contentType: 'application/octet-stream' });
}

/** The stored latent, or null when there is none (an inspection from before latents were kept). */
export async function readLatent(blobs: BlobStore, key: string): Promise<Float32Array | null> {
  try {
    const bytes = await blobs.get(key);
    return Float32Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
  } catch (err) {
    if (isStorageError(err, 'NOT_FOUND')) return null;
    throw err;
  }
}
