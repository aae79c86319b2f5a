import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type {
  DiagnoseMigrationHistoryOutput,
  DiffTarget,
  MigrationList,
  SchemaEngine,
} from '@prisma/schema-engine-wasm';
import pg, { type PoolConfig } from 'pg';
import { poolConfigFromUrl } from '../connection-url';

// Prisma's native schema engine cannot be downloaded on our machines, but the same engine
// ships compiled to WebAssembly and talks to the database through a driver adapter. Its
// package entry uses an ESM `.wasm` import that Node 20 cannot load, so we instantiate the
// module by hand, the way wasm-bindgen's own loader would.
type Bindgen = typeof import('@prisma/schema-engine-wasm/schema_engine_bg') & {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
};

let loaded: Promise<typeof SchemaEngine> | undefined;

async function loadSchemaEngineClass(): Promise<typeof SchemaEngine> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const bindgenPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmPath = bindgenPath.replace(/schema_engine_bg\.js$/, 'schema_engine_bg.wasm');
    // The engine reports Rust panics through this global before throwing a RuntimeError.
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { message: string; set_message(m: string): void } };
    g.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: '',
      set_message(m: string) {
        this.message = m;
      },
    };
    const bindgen = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as Bindgen;
    const module = await WebAssembly.compile(await readFile(wasmPath));
    const instance = await WebAssembly.instantiate(module, {
      './schema_engine_bg.js': bindgen as unknown as WebAssembly.ModuleImports,
    });
    bindgen.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindgen.SchemaEngine;
  })();
  return loaded;
}

/** Thrown when the schema engine rejects a request; `message` carries the engine's own words. */
export class SchemaEngineError extends Error {
  readonly code = 'SCHEMA_ENGINE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchemaEngineError';
  }
}

export interface OfflineSchemaEngine {
  /** SQL that turns `from` into `to` ('' when they already match). */
  diffScript(from: DiffTarget, to: DiffTarget): Promise<string>;
  /** Human-readable summary of the differences ('' when none). */
  diffSummary(from: DiffTarget, to: DiffTarget): Promise<string>;
  /** Prisma's own verdict on the database's migration history (what `migrate status` shows). */
  diagnoseMigrationHistory(list: MigrationList): Promise<DiagnoseMigrationHistoryOutput>;
  close(): Promise<void>;
}

/**
 * Opens the WebAssembly schema engine against a PostgreSQL server. Diffs from a migrations
 * directory replay it in a throw-away shadow database on that server.
 */
export async function openSchemaEngine(url: string): Promise<OfflineSchemaEngine> {
  const SchemaEngineClass = await loadSchemaEngineClass();
  // Discrete fields, not a connection string: the adapter derives its shadow database by
  // overriding `database`, and a connectionString would silently win over that override.
  const factory = new PrismaPg(poolConfigFromUrl(url));
  // The engine never hands its connections back, so we keep them to close the pools ourselves.
  const opened: { dispose(): Promise<void> }[] = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const a = wholeScripts(readCharColumns(await factory.connect()));
      opened.push(a);
      return a;
    },
    // Not the adapter's own connectToShadowDb: it drops the shadow database before closing
    // its pool on it, which PostgreSQL refuses ("being accessed by other users").
    connectToShadowDb: async () => {
      const config = poolConfigFromUrl(url);
      const name = `prisma_migrate_shadow_db_${randomUUID()}`;
      await adminQuery(config, `CREATE DATABASE "${name}"`);
      const a = wholeScripts(readCharColumns(await new PrismaPg({ ...config, database: name }).connect()));
      const dispose = a.dispose.bind(a);
      a.dispose = async () => {
        await dispose();
        await adminQuery(config, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      };
      opened.push(a);
      return a;
    },
  };
  const adapter = bindMigrationAwareSqlAdapterFactory(tracking);
  const log = (message: string) => {
    if (process.env.GANSIGHT_DEBUG_SCHEMA_ENGINE) process.stderr.write(`[schema-engine] ${message}\n`);
  };
  let engine: SchemaEngine;
  try {
    engine = await SchemaEngineClass.new({ datamodels: undefined }, log, adapter);
  } catch (err) {
    throw asEngineError(err);
  }
  const filters = { externalTables: [], externalEnums: [] };
  const diff = async (from: DiffTarget, to: DiffTarget, script: boolean) => {
    try {
      const result = await engine.diff({ from, to, script, exitCode: null, filters });
      return (result.stdout ?? '').trim();
    } catch (err) {
      throw asEngineError(err);
    }
  };
  return {
    async diffScript(from, to) {
      const sql = await diff(from, to, true);
      // An empty diff still comes back as a comment line.
      return sql === '-- This is an empty migration.' ? '' : sql;
    },
    diffSummary: (from, to) => diff(from, to, false).then((s) => (/^No difference detected\.?$/.test(s) ? '' : s)),
    async diagnoseMigrationHistory(list) {
      try {
        return await engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters });
      } catch (err) {
        throw asEngineError(err);
      }
    },
    async close() {
      engine.free();
      await Promise.allSettled(opened.splice(0).map((a) => a.dispose()));
    },
  };
}

type ScriptRunner = {
  executeScript(script: string): Promise<void>;
  underlyingDriver(): { query(sql: string): Promise<unknown> };
  onError(error: unknown): never;
};

/**
 * @prisma/adapter-pg 7.10 runs a migration script by splitting it on every `;`, which breaks
 * function bodies (`$$ ... ; ... $$`, the rollup triggers of docs/adr/0008). The native engine
 * sends the whole script as one simple query, and so do we (and so does migrateDatabase).
 */
function wholeScripts<T extends object>(adapter: T): T {
  const target = adapter as unknown as ScriptRunner;
  target.executeScript = async (script) => {
    try {
      await target.underlyingDriver().query(script);
    } catch (error) {
      target.onError(error);
    }
  };
  return adapter;
}

type PgField = { name: string; dataTypeID: number };
type RawResult = { columnNames: string[]; columnTypes: number[] };
type Patchable = {
  performIO(query: unknown): Promise<{ fields: PgField[] }>;
  queryRaw(query: unknown): Promise<RawResult>;
  startTransaction?(...args: unknown[]): Promise<unknown>;
};

/**
 * The engine describes a live database with catalog queries returning PostgreSQL's internal
 * `"char"` type (pg_constraint.contype, ...). @prisma/adapter-pg 7.10 rejects that type as
 * unsupported, and the engine wants it as a Character column. node-postgres already hands
 * the values over as one-letter strings, so we pass them through as text and relabel the
 * column afterwards. The marker travels in the column name because one adapter runs
 * several queries at once. Only the engine's own connections are patched.
 */
function readCharColumns<T extends object>(adapter: T): T {
  const target = adapter as unknown as Patchable;
  const performIO = target.performIO.bind(target);
  const queryRaw = target.queryRaw.bind(target);
  target.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result?.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        field.name = CHAR_MARK + field.name;
      }
    }
    return result;
  };
  target.queryRaw = async (query) => {
    const result = await queryRaw(query);
    result.columnNames.forEach((name, i) => {
      if (name.startsWith(CHAR_MARK)) {
        result.columnNames[i] = name.slice(CHAR_MARK.length);
        result.columnTypes[i] = ColumnTypeEnum.Character;
      }
    });
    return result;
  };
  if (target.startTransaction) {
    const start = target.startTransaction.bind(target);
    target.startTransaction = async (...args) => readCharColumns((await start(...args)) as object);
  }
  return adapter;
}
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const CHAR_MARK = '\u0000pg-char:';

async function adminQuery(config: PoolConfig, sql: string): Promise<void> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function asEngineError(err: unknown): SchemaEngineError {
  if (err instanceof SchemaEngineError) return err;
  const registry = (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { message: string } }).PRISMA_WASM_PANIC_REGISTRY;
  if (err instanceof WebAssembly.RuntimeError && registry?.message) {
    const panic = registry.message;
    registry.message = '';
    return new SchemaEngineError(`Prisma schema engine panicked: ${panic}`, { cause: err });
  }
  const message =
    err instanceof Error ? err.message : typeof err === 'object' && err !== null ? JSON.stringify(err) : String(err);
  return new SchemaEngineError(`Prisma schema engine: ${message}`, { cause: err });
}

/** Diff target: the given schema.prisma text. */
export function schemaTarget(content: string, path = 'schema.prisma'): DiffTarget {
  return { tag: 'schemaDatamodel', files: [{ path, content }] };
}

/** Diff target: the schema that replaying these migrations produces. */
export function migrationsTarget(list: MigrationList): DiffTarget {
  return { tag: 'migrations', ...list };
}

/**
 * Diff target: the live database the engine was opened on. (Prisma 7 dropped plain URL
 * targets; the datasource is whatever the driver adapter connects to. The schema text is
 * only read for its datasource block.)
 */
export function connectedDatabaseTarget(schema: string): DiffTarget {
  return { tag: 'schemaDatasource', files: [{ path: 'schema.prisma', content: schema }], configDir: process.cwd() };
}
