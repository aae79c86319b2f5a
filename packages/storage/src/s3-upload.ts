import { pipeline, type Readable } from 'node:stream';
import type { Client } from 'minio';
import { checkSha256, DigestStream } from './body-digest';

export interface S3UploadRequest {
  client: Client;
  bucket: string;
  key: string;
  body: Readable;
  contentType: string;
  /** Known before the upload starts; stored as x-amz-meta-sha256 when given. */
  expectedSha256?: string;
  maxBytes?: number;
  partSize: number;
}

export const SHA256_META = 'sha256';

/**
 * Uploads a stream so that the key shows the new blob only if every byte arrived and the
 * checksum matched. Bodies up to one part go up in a single PUT after hashing; larger ones
 * as a multipart upload that is completed only after the last part hashed correctly, and
 * aborted otherwise. (minio's own putObject resumes any stray multipart upload of the same
 * key and needs ListMultipartUploads, which we neither want nor can rely on.)
 */
export async function uploadToS3(req: S3UploadRequest): Promise<{ size: number; sha256: string; etag?: string }> {
  const { client, bucket, key } = req;
  const digest = new DigestStream(key, req.maxBytes);
  // Errors of the source (or the size limit) surface in the for-await below.
  pipeline(req.body, digest, () => {});
  const headers: Record<string, string> = { 'Content-Type': req.contentType };
  if (req.expectedSha256) headers[`X-Amz-Meta-${SHA256_META}`] = req.expectedSha256;

  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let uploadId: string | undefined;
  const parts: { part: number; etag: string }[] = [];
  const flush = async () => {
    uploadId ??= await client.initiateNewMultipartUpload(bucket, key, headers);
    const part = parts.length + 1;
    const res = await client.uploadPart(
      { bucketName: bucket, objectName: key, uploadID: uploadId, partNumber: part, headers: {} },
      Buffer.concat(pending, pendingBytes),
    );
    parts.push({ part, etag: res.etag });
    pending = [];
    pendingBytes = 0;
  };

  try {
    for await (const chunk of digest) {
      pending.push(chunk as Buffer);
      pendingBytes += (chunk as Buffer).length;
      if (pendingBytes >= req.partSize) await flush();
    }
    const sha256 = digest.digest();
    if (uploadId === undefined) {
      checkSha256(key, req.expectedSha256, sha256);
      const bytes = Buffer.concat(pending, pendingBytes);
      const meta = { ...headers, [`X-Amz-Meta-${SHA256_META}`]: sha256 };
      const res = await client.putObject(bucket, key, bytes, bytes.length, meta);
      return { size: digest.size, sha256, etag: res.etag };
    }
    if (pendingBytes > 0) await flush();
    checkSha256(key, req.expectedSha256, sha256);
    const done = await client.completeMultipartUpload(bucket, key, uploadId, parts);
    uploadId = undefined;
    return { size: digest.size, sha256, etag: done.etag };
  } catch (err) {
    digest.destroy();
    if (uploadId !== undefined) await client.abortMultipartUpload(bucket, key, uploadId).catch(() => undefined);
    throw err;
  }
}
