import type http from 'node:http';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { Client } from 'minio';
import { assertListPrefix, parseBlobKey } from './blob-key';
import {
  checkContentType,
  checkPresignSeconds,
  type BlobBody,
  type BlobListEntry,
  type BlobStat,
  type BlobStore,
  type PresignPutOptions,
  type PutOptions,
  type PutResult,
} from './blob-store';
import { asReadable, checkBufferBody, isInMemory, normaliseExpectedSha256 } from './body-digest';
import { isStorageError } from './errors';
import { mapS3Error } from './s3-errors';
import { createAgent, createTimeoutTransport } from './s3-transport';
import { presignHandlerUrl } from './handler-presign';
import { SHA256_META, uploadToS3 } from './s3-upload';

export interface S3BlobStoreOptions {
  /** e.g. http://minio:9000 or https://s3.eu-central-1.amazonaws.com */
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
  /** A request fails with STORAGE_UNAVAILABLE after this long without socket activity. Default 30 s. */
  requestTimeoutMs?: number;
  /**
   * Endpoint browsers and line integrators reach, when it differs from `endpoint` (e.g. the
   * API talks to http://minio:9000 but clients see https://blobs.example.com). SigV4 signs the
   * host, so presigned URLs must be signed for the public one.
   */
  publicEndpoint?: string;
  /** Keys fetched per list request (at most 1000, S3's cap). */
  listPageSize?: number;
  /** Bodies larger than this go up as multipart uploads of parts this size. Default 16 MiB, at least 5 MiB. */
  partSizeBytes?: number;
  /**
   * Where the blob HTTP handler is mounted (e.g. https://api.example.com/blobs) and its secret:
   * presigned PUTs go there and stream into the bucket, because a query-signed S3 PUT can bound
   * neither the size nor the number of uploads (docs/adr/0024). Without them presignedPutUrl
   * refuses with MISCONFIGURED.
   */
  presignBaseUrl?: string;
  presignSecret?: string;
}

const MIN_PART_SIZE = 5 * 1024 * 1024; // S3 rejects smaller parts (except the last)

/** Blobs in one S3/MinIO bucket, keyed exactly like the fs driver. */
export class S3BlobStore implements BlobStore {
  readonly driver = 's3' as const;
  private readonly client: Client;
  private readonly presignClient: Client;
  private readonly agent: http.Agent;
  private readonly bucket: string;
  private readonly region: string;
  private readonly pageSize: number;
  private readonly partSize: number;

  constructor(private readonly options: S3BlobStoreOptions) {
    const useSSL = new URL(options.endpoint).protocol === 'https:';
    this.agent = createAgent(useSSL);
    this.bucket = options.bucket;
    this.region = options.region;
    this.pageSize = Math.min(Math.max(1, options.listPageSize ?? 1000), 1000);
    this.partSize = Math.max(MIN_PART_SIZE, options.partSizeBytes ?? 16 * 1024 * 1024);
    this.client = this.makeClient(options.endpoint);
    // Presigning is local computation (the region is known), so this client never connects.
    this.presignClient = options.publicEndpoint ? this.makeClient(options.publicEndpoint) : this.client;
  }

  private makeClient(endpoint: string): Client {
    const url = new URL(endpoint);
    const useSSL = url.protocol === 'https:';
    return new Client({
      endPoint: url.hostname,
      port: url.port ? Number(url.port) : useSSL ? 443 : 80,
      useSSL,
      accessKey: this.options.accessKey,
      secretKey: this.options.secretKey,
      region: this.options.region,
      // MinIO and most self-hosted servers only route path-style requests.
      pathStyle: !url.hostname.endsWith('amazonaws.com'),
      transport: createTimeoutTransport(useSSL, this.options.requestTimeoutMs ?? 30_000),
      transportAgent: this.agent,
    });
  }

  async ensureReady(): Promise<void> {
    await this.call(undefined, async () => {
      if (await this.client.bucketExists(this.bucket)) return;
      try {
        await this.client.makeBucket(this.bucket, this.region);
      } catch (err) {
        // Another replica created it between our check and our create: that is success.
        const code = (err as { code?: string }).code;
        if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw err;
      }
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  async put(key: string, body: BlobBody, options: PutOptions = {}): Promise<PutResult> {
    parseBlobKey(key);
    const contentType = checkContentType(options.contentType);
    const expectedSha256 = normaliseExpectedSha256(options.sha256);
    // In-memory bodies are checked before a single request is made.
    if (isInMemory(body)) checkBufferBody(key, body, expectedSha256, options.maxBytes);
    const result = await this.call(key, () =>
      uploadToS3({
        client: this.client,
        bucket: this.bucket,
        key,
        body: asReadable(body),
        contentType,
        expectedSha256,
        maxBytes: options.maxBytes,
        partSize: this.partSize,
      }),
    );
    return { key, ...result };
  }

  async get(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.stream(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async stream(key: string): Promise<Readable> {
    parseBlobKey(key);
    const source = await this.call(key, () => this.client.getObject(this.bucket, key));
    // Re-emit mid-stream failures (a dropped connection) as typed errors too.
    const out = new PassThrough();
    pipeline(source, out, (err) => {
      if (err) out.destroy(this.map(err, key) as Error);
    });
    return out;
  }

  async stat(key: string): Promise<BlobStat> {
    parseBlobKey(key);
    const s = await this.call(key, () => this.client.statObject(this.bucket, key));
    const meta = s.metaData as Record<string, unknown>;
    const sha256 = typeof meta[SHA256_META] === 'string' ? (meta[SHA256_META] as string) : undefined;
    return {
      size: s.size,
      contentType: typeof meta['content-type'] === 'string' ? meta['content-type'] : checkContentType(undefined),
      lastModified: s.lastModified,
      etag: s.etag,
      ...(sha256 ? { sha256 } : {}),
    };
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.stat(key);
      return true;
    } catch (err) {
      if (isStorageError(err, 'NOT_FOUND')) return false;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    parseBlobKey(key);
    await this.call(key, () => this.client.removeObject(this.bucket, key));
  }

  async *list(prefix: string): AsyncIterable<BlobListEntry> {
    assertListPrefix(prefix);
    let token = '';
    do {
      const page = await this.call(undefined, () =>
        this.client.listObjectsV2Query(this.bucket, prefix, token, '', this.pageSize, ''),
      );
      for (const item of page.objects) {
        if (item.name !== undefined) yield { key: item.name, size: item.size, lastModified: item.lastModified };
      }
      token = page.isTruncated ? page.nextContinuationToken : '';
    } while (token);
  }

  async presignedGetUrl(key: string, expiresInSeconds: number): Promise<string> {
    parseBlobKey(key);
    checkPresignSeconds(expiresInSeconds);
    return this.call(key, () => this.presignClient.presignedGetObject(this.bucket, key, expiresInSeconds));
  }

  async presignedPutUrl(key: string, expiresInSeconds: number, options: PresignPutOptions = {}): Promise<string> {
    return presignHandlerUrl(this.options, { method: 'PUT', key, seconds: expiresInSeconds, ...options });
  }

  private async call<T>(key: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.map(err, key);
    }
  }

  private map(err: unknown, key: string | undefined): unknown {
    return mapS3Error(err, key, this.options.endpoint, this.bucket);
  }
}
