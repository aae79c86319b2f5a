import type { ArtifactIO } from '@gansight/ml';
import type { BlobStore } from '@gansight/storage';

/** Artifact files of one model or checkpoint as blobs under `dirKey/`. */
export function blobArtifactIO(blobs: BlobStore, dirKey: string): ArtifactIO {
  return {
    write: async (name, bytes) => {
      await blobs.put(`${dirKey}/${name}`, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
        contentType: name.endsWith('.json') ? 'application/json' : 'application/octet-stream',
      });
    },
    read: async (name) => new Uint8Array(await blobs.get(`${dirKey}/${name}`)),
  };
}

/** The folder key of an artifact file key (`.../step-000010/checkpoint.json` -> `.../step-000010`). */
export function artifactDir(fileKey: string): string {
  return fileKey.slice(0, fileKey.lastIndexOf('/'));
}
