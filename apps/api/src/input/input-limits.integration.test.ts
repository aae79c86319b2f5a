// Inputs the API used to accept and could not serve (issue 13, item 7): each is now refused at
// the boundary with BAD_USER_INPUT, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../testing/test-api';
import { pngImage } from '../testing/test-images';

let t: TestApi;
let acme: TestFactory;
let admin: string;
let productId: string;

const CREATE = 'mutation($i: CreateProductInput!) { createProduct(input: $i) { id name slug imageSize description } }';
const UPDATE = 'mutation($id: ID!, $i: UpdateProductInput!) { updateProduct(id: $id, input: $i) { id imageSize } }';

beforeAll(async () => {
  t = await startTestApi();
  acme = await t.createFactory('Input Tiles');
  admin = await t.login(acme.adminEmail);
  productId = (await t.gql(CREATE, { i: { name: 'Tile', imageSize: 32, channels: 1 } }, { token: admin })).json.data!.createProduct.id;
});
afterAll(() => t.stop());

async function productCount(): Promise<number> {
  return t.database.db.product.count({ where: { factoryId: acme.factoryId } });
}

describe('product settings the worker could never serve', () => {
  it('refuses image sizes that are not a power of two or too large to train, on create and update', async () => {
    const before = await productCount();
    for (const imageSize of [40, 1000, 4, 2048, 0, -64]) {
      const res = await t.gql(CREATE, { i: { name: `Size ${imageSize}`, imageSize, channels: 1 } }, { token: admin });
      expect(errorCode(res), JSON.stringify(res.json)).toBe('BAD_USER_INPUT');
      expect(res.json.errors![0]!.message).toMatch(/input\.imageSize must be one of 8, 16, 32, 64, 128, 256, 512/);
    }
    expect(await productCount()).toBe(before);
    expect(errorCode(await t.gql(UPDATE, { id: productId, i: { imageSize: 40 } }, { token: admin }))).toBe('BAD_USER_INPUT');
    expect((await t.database.db.product.findUniqueOrThrow({ where: { id: productId } })).imageSize).toBe(32);
    // Every power of two the GAN builds is accepted.
    const ok = await t.gql(CREATE, { i: { name: 'Big tile', imageSize: 256, channels: 3 } }, { token: admin });
    expect(ok.json.data?.createProduct.imageSize, JSON.stringify(ok.json)).toBe(256);
  });

  it('refuses a 3.5 MB description, a name with control characters and unknown preprocessing keys', async () => {
    const before = await productCount();
    const bad = [
      { name: 'Long', imageSize: 32, channels: 1, description: 'x'.repeat(3_500_000) },
      { name: 'Long', imageSize: 32, channels: 1, description: 'x'.repeat(2001) },
      { name: 'Line\nbreak', imageSize: 32, channels: 1 },
      { name: 'n'.repeat(201), imageSize: 32, channels: 1 },
      { name: 'Typo', imageSize: 32, channels: 1, preprocessing: { mode: 'resize', intesity: 'per-image' } },
    ];
    for (const i of bad) {
      const res = await t.gql(CREATE, { i }, { token: admin });
      expect(errorCode(res), JSON.stringify(res.json).slice(0, 300)).toBe('BAD_USER_INPUT');
    }
    expect(await productCount()).toBe(before);
    const fine = await t.gql(CREATE, { i: { name: 'Described', imageSize: 32, channels: 1, description: 'd'.repeat(2000) } }, { token: admin });
    expect(fine.json.data?.createProduct.description).toHaveLength(2000);
  });
});

describe('NUL bytes and over-long strings in any argument', () => {
  it('answers BAD_USER_INPUT (not INTERNAL_SERVER_ERROR) for a NUL in an id, a string, a JSON value or key', async () => {
    const cases: [string, Record<string, unknown>][] = [
      ['query($id: ID!) { product(id: $id) { id } }', { id: 'abc\u0000def' }],
      ['query($id: ID!) { inspection(id: $id) { id } }', { id: '\u0000' }],
      [CREATE, { i: { name: 'Nul\u0000name', imageSize: 32, channels: 1 } }],
      [CREATE, { i: { name: 'Nul slug', slug: 'a\u0000b', imageSize: 32, channels: 1 } }],
      ['mutation($p: ID!, $n: String!) { createDefectType(productId: $p, name: $n) { id } }', { p: productId, n: 'crack\u0000' }],
      ['mutation($n: String!) { createLot(productId: "x", name: $n) { id } }', { n: 'lot\u0000' }],
      [
        'mutation($i: UploadImageInput!) { uploadImage(input: $i) { duplicate } }',
        { i: { productId, dataBase64: 'AAAA', facts: { metadata: { note: 'a\u0000b' } } } },
      ],
      [
        'mutation($i: UploadImageInput!) { uploadImage(input: $i) { duplicate } }',
        { i: { productId, dataBase64: 'AAAA', facts: { metadata: { 'k\u0000': 1 } } } },
      ],
      ['mutation($h: JSON) { startTraining(productId: "x", hyperParameters: $h) { run { id } } }', { h: { steps: '\u0000' } }],
      ['query($f: InspectionFilter) { inspections(filter: $f) { edges { cursor } } }', { f: { line: 'L\u00001' } }],
      ['mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: 'a\u0000@b.example', p: 'x' }],
    ];
    for (const [query, variables] of cases) {
      const res = await t.gql(query, variables, { token: admin });
      expect(errorCode(res), `${query} ${JSON.stringify(res.json)}`).toBe('BAD_USER_INPUT');
      expect(res.json.errors![0]!.message).toMatch(/NUL/);
    }
    // The same NUL inside a literal of the query document is caught too.
    const literal = await t.gql('{ product(id: "a\\u0000b") { id } }', {}, { token: admin });
    expect(errorCode(literal)).toBe('BAD_USER_INPUT');
    expect(await t.database.db.defectType.count({ where: { factoryId: acme.factoryId } })).toBe(0);
  });

  it('bounds every string, JSON and list argument, naming the argument', async () => {
    const long = 'x'.repeat(1001);
    const product = await t.gql('query($id: ID!) { product(id: $id) { id } }', { id: long }, { token: admin });
    expect(errorCode(product)).toBe('BAD_USER_INPUT');
    expect(product.json.errors![0]!.extensions).toMatchObject({ argument: 'id' });
    const metadata = { blob: 'm'.repeat(20_000) };
    const upload = await t.gql(
      'mutation($i: UploadImageInput!) { uploadImage(input: $i) { duplicate } }',
      { i: { productId, dataBase64: (await pngImage(32, 1)).toString('base64'), facts: { metadata } } },
      { token: admin },
    );
    expect(errorCode(upload)).toBe('BAD_USER_INPUT');
    expect(upload.json.errors![0]!.extensions).toMatchObject({ argument: 'input.facts.metadata' });
    expect(await t.database.db.image.count({ where: { factoryId: acme.factoryId } })).toBe(0);
    const ids = Array.from({ length: 1001 }, (_, i) => `id${i}`);
    const split = await t.gql('mutation($ids: [ID!]!) { assignImageSplit(ids: $ids, split: TRAIN) }', { ids }, { token: admin });
    expect(errorCode(split)).toBe('BAD_USER_INPUT');
    // Images themselves are bounded by the request body, not by the string limit.
    const image = await t.gql(
      'mutation($i: UploadImageInput!) { uploadImage(input: $i) { duplicate } }',
      { i: { productId, dataBase64: (await pngImage(400, 2)).toString('base64') } },
      { token: admin },
    );
    expect(image.json.data?.uploadImage, JSON.stringify(image.json)).toEqual({ duplicate: false });
  });
});

describe('slugs derived from names', () => {
  it('gives different non-ASCII names different usable slugs instead of a CONFLICT nobody chose', async () => {
    const names = ['瓷砖', '陶瓷', 'Плитка', 'Керамика', 'Café', 'Cafe'];
    const slugs: string[] = [];
    for (const name of names) {
      const res = await t.gql(CREATE, { i: { name, imageSize: 32, channels: 1 } }, { token: admin });
      expect(res.json.errors, name).toBeUndefined();
      slugs.push(res.json.data!.createProduct.slug);
    }
    expect(new Set(slugs).size).toBe(names.length);
    for (const s of slugs) expect(s).toMatch(/^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$/);
    // The same name twice is the caller's own conflict, and the message says it is about the name.
    const again = await t.gql(CREATE, { i: { name: '瓷砖', imageSize: 32, channels: 1 } }, { token: admin });
    expect(errorCode(again)).toBe('CONFLICT');
    expect(again.json.errors![0]!.message).toMatch(/named "瓷砖"/);
  });

  it('gives factories with non-ASCII names distinct slugs', async () => {
    const a = await t.createFactory('工厂一');
    const b = await t.createFactory('工厂二');
    const slugs = await t.database.db.factory.findMany({ where: { id: { in: [a.factoryId, b.factoryId] } }, select: { slug: true } });
    expect(new Set(slugs.map((s) => s.slug)).size).toBe(2);
  });
});
