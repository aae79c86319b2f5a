import { describe, expect, it } from 'vitest';
import { databaseName, poolConfigFromUrl, withDatabase } from './connection-url';
import { migrationDirName } from './migrations/migration-files';
import { slugify } from './repositories/slugs';
import { afterCursor, toPage } from './repositories/pagination';

describe('connection URLs', () => {
  it('splits a URL into fields so the database can be overridden', () => {
    expect(poolConfigFromUrl('postgresql://u%40x:p%2Fw@db.local:6543/app?sslmode=require&schema=s1')).toMatchObject({
      host: 'db.local',
      port: 6543,
      user: 'u@x',
      password: 'p/w',
      database: 'app',
      ssl: { rejectUnauthorized: false },
      options: '-c search_path=s1',
    });
    expect(poolConfigFromUrl('postgres://localhost')).toMatchObject({ port: 5432, database: 'postgres' });
  });

  it('swaps the database name and keeps everything else', () => {
    const url = withDatabase('postgresql://u:p@127.0.0.1:5000/postgres?sslmode=disable', 'gansight');
    expect(url).toBe('postgresql://u:p@127.0.0.1:5000/gansight?sslmode=disable');
    expect(databaseName(url)).toBe('gansight');
  });
});

describe('names', () => {
  it('names migration directories like prisma migrate dev', () => {
    expect(migrationDirName('Add lot notes!', new Date('2026-11-29T04:49:00.123Z'))).toBe('20261129044900_add_lot_notes');
  });

  it('derives readable slugs', () => {
    expect(slugify('Ödland Solar GmbH')).toBe('odland-solar-gmbh');
    expect(slugify('***')).toMatch(/^factory-[0-9a-f]{6}$/);
  });
});

describe('cursors', () => {
  it('round-trip through toPage and afterCursor', () => {
    const rows = [3, 2, 1].map((n) => ({ id: `id${n}`, createdAt: new Date(Date.UTC(2026, 0, n)) }));
    const page = toPage(rows, 2);
    expect(page.items.map((r) => r.id)).toEqual(['id3', 'id2']);
    expect(afterCursor(page.nextCursor)).toEqual({
      OR: [{ createdAt: { lt: rows[1]!.createdAt } }, { createdAt: rows[1]!.createdAt, id: { lt: 'id2' } }],
    });
    expect(toPage(rows, 3).nextCursor).toBeNull();
    expect(() => afterCursor('not-a-cursor')).toThrowError(expect.objectContaining({ code: 'BAD_INPUT' }));
  });
});
