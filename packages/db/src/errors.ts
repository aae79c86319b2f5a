/** Every error @gansight/db throws on purpose carries one of these stable codes. */
export type DbErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BAD_INPUT'
  | 'QUOTA_EXCEEDED'
  | 'MIGRATION_CHECKSUM_MISMATCH'
  | 'MIGRATION_FAILED'
  | 'MIGRATION_HISTORY'
  | 'EMBEDDED_PG_START_FAILED'
  | 'EMBEDDED_PG_DATA_DIR_IN_USE'
  | 'EMBEDDED_PG_DATA_DIR';

export class DbError extends Error {
  constructor(
    readonly code: DbErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The row does not exist in this factory. Rows of other factories are reported the same way. */
export class NotFoundError extends DbError {
  declare readonly code: 'NOT_FOUND';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super('NOT_FOUND', `${entity} ${id} was not found`);
  }
}

/** A unique value (slug, email, sha256, version, ...) is already taken. */
export class ConflictError extends DbError {
  declare readonly code: 'CONFLICT';
  constructor(
    message: string,
    readonly fields: string[] = [],
  ) {
    super('CONFLICT', message);
  }
}

/** Input that the database would accept but that breaks a rule of ours (e.g. a cross-product reference). */
export class BadInputError extends DbError {
  declare readonly code: 'BAD_INPUT';
  constructor(message: string) {
    super('BAD_INPUT', message);
  }
}

export class MigrationError extends DbError {
  declare readonly code: 'MIGRATION_CHECKSUM_MISMATCH' | 'MIGRATION_FAILED' | 'MIGRATION_HISTORY';
}

export class EmbeddedPostgresError extends DbError {
  declare readonly code: 'EMBEDDED_PG_START_FAILED' | 'EMBEDDED_PG_DATA_DIR_IN_USE' | 'EMBEDDED_PG_DATA_DIR';
}
