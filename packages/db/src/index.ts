// @gansight/db: the only package that knows Prisma. Everything tenant-owned is reached through
// functions that take the factory id as a required argument.
export { createDbClient, pingDatabase, type Db } from './client';
export { openDatabase, ensureDatabase, EMBEDDED_DATABASE_NAME } from './open-database';
export type { DatabaseSettings, OpenDatabaseOptions, OpenedDatabase } from './open-database';
export { startEmbeddedPostgres } from './embedded/embedded-postgres';
export type { EmbeddedPostgresOptions, EmbeddedPostgresServer } from './embedded/embedded-postgres';
export { migrateDatabase } from './migrations/migrate-database';
export type { MigrateOptions, MigrateResult } from './migrations/migrate-database';
export { createMigration, pendingSchemaChanges, schemaDrift } from './migrations/create-migration';
export { readMigrations, defaultMigrationsDir, defaultSchemaPath } from './migrations/migration-files';
export { SchemaEngineError } from './migrations/schema-engine';
export {
  DbError,
  NotFoundError,
  ConflictError,
  BadInputError,
  MigrationError,
  EmbeddedPostgresError,
  type DbErrorCode,
} from './errors';

export * from './repositories/factories';
export { slugify, slugCandidates } from './repositories/slugs';
export * from './repositories/users';
export * from './repositories/sessions';
export * from './repositories/api-keys';
export * from './repositories/products';
export * from './repositories/product-model-settings';
export * from './repositories/defect-types';
export * from './repositories/images';
export * from './repositories/pending-uploads';
export * from './repositories/image-counts';
export * from './repositories/models';
export * from './repositories/training-runs';
export * from './repositories/lots';
export * from './repositories/inspections';
export * from './repositories/inspection-retention';
export * from './repositories/review-queue';
export * from './repositories/inspection-trends';
export { checkTimeZone } from './repositories/time-zone';
export * from './repositories/evaluations';
export * from './repositories/latent-interpolations';
export * from './repositories/audit-log';
export * from './repositories/worker-nodes';
export * from './repositories/stale-queued-inspections';
export * from './repositories/stale-queued-rows';
export * from './repositories/rate-limits';
export * from './repositories/quotas';
export type { Page, PageRequest } from './repositories/pagination';
export type { JsonInput } from './repositories/prisma-errors';

// Row types and enums, so callers never import Prisma themselves.
export {
  Role,
  ImageLabel,
  ImageSplit,
  ImageSource,
  ModelStatus,
  RunStatus,
  LotStatus,
  InspectionStatus,
  Verdict,
  ActorType,
  UploadStatus,
} from './generated/prisma/enums';
export type {
  Factory,
  User,
  Membership,
  Session,
  ApiKey,
  Product,
  DefectType,
  Image,
  Model,
  TrainingRun,
  Lot,
  Inspection,
  Evaluation,
  LatentInterpolation,
  AuditLog,
  WorkerNode,
  PendingUpload,
} from './generated/prisma/client';
export * from './repositories/accounts';
export * from './repositories/catalog-pages';
export * from './repositories/factory-admin-pages';
export * from './repositories/image-lookups';
export * from './repositories/training-run-transitions';
export * from './repositories/inspection-stats';
export * from './repositories/lot-measurements';
export * from './repositories/worker-fleet';
export * from './repositories/worker-node-revival';
