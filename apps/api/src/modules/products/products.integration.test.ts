import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';

let t: TestApi;
let acme: TestFactory;
let admin: string;

beforeAll(async () => {
  t = await startTestApi();
  acme = await t.createFactory('Acme Tiles');
  admin = await t.login(acme.adminEmail);
});
afterAll(() => t.stop());

const CREATE = 'mutation($i: CreateProductInput!) { createProduct(input: $i) { id name slug imageSize channels preprocessing archived } }';

describe('products and defect types', () => {
  it('creates, reads and updates a product; bad input changes nothing', async () => {
    const created = await t.gql(CREATE, { i: { name: 'Solar Cell 6"', imageSize: 64, channels: 1 } }, { token: admin });
    const product = created.json.data!.createProduct;
    expect(product).toMatchObject({ name: 'Solar Cell 6"', slug: 'solar-cell-6', imageSize: 64, channels: 1, preprocessing: { mode: 'resize' }, archived: false });
    expect(errorCode(await t.gql(CREATE, { i: { name: 'Solar Cell 6"', imageSize: 64, channels: 1 } }, { token: admin }))).toBe('CONFLICT');
    for (const bad of [
      { name: 'x', imageSize: 4, channels: 1 },
      { name: 'x', imageSize: 64, channels: 2 },
      { name: ' ', imageSize: 64, channels: 1 },
      { name: 'x', slug: 'Not A Slug', imageSize: 64, channels: 1 },
      { name: 'x', imageSize: 64, channels: 1, preprocessing: { mode: 'stretch' } },
      { name: 'x', imageSize: 64, channels: 1, preprocessing: { mode: 'resize', intensity: 'brighter' } },
    ]) {
      expect(errorCode(await t.gql(CREATE, { i: bad }, { token: admin }))).toBe('BAD_USER_INPUT');
    }
    const listed = await t.gql('{ products { edges { node { id } } } }', {}, { token: admin });
    expect(listed.json.data!.products.edges).toHaveLength(1);

    const update = 'mutation($id: ID!, $i: UpdateProductInput!) { updateProduct(id: $id, input: $i) { name description archived imageSize } }';
    const updated = await t.gql(update, { id: product.id, i: { description: 'mono PERC', archived: true } }, { token: admin });
    expect(updated.json.data!.updateProduct).toEqual({ name: 'Solar Cell 6"', description: 'mono PERC', archived: true, imageSize: 64 });
    expect((await t.gql('{ products { edges { node { id } } } }', {}, { token: admin })).json.data!.products.edges).toHaveLength(0);
    expect((await t.gql('{ products(includeArchived: true) { edges { node { id } } } }', {}, { token: admin })).json.data!.products.edges).toHaveLength(1);
    expect(errorCode(await t.gql(update, { id: product.id, i: { channels: 5 } }, { token: admin }))).toBe('BAD_USER_INPUT');
    expect((await t.gql('query($id: ID!) { product(id: $id) { channels } }', { id: product.id }, { token: admin })).json.data!.product.channels).toBe(1);
    expect(errorCode(await t.gql('{ product(id: "nope") { id } }', {}, { token: admin }))).toBe('NOT_FOUND');
  });

  it('pages products with Relay cursors and caps the page size', async () => {
    for (let i = 0; i < 5; i++) await t.gql(CREATE, { i: { name: `Tile ${i}`, imageSize: 32, channels: 3 } }, { token: admin });
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res = await t.gql('query($a: String) { products(first: 2, after: $a) { edges { cursor node { name } } pageInfo { hasNextPage endCursor } } }', { a: after }, { token: admin });
      const conn = res.json.data!.products;
      seen.push(...conn.edges.map((e: { node: { name: string } }) => e.node.name));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual(['Tile 4', 'Tile 3', 'Tile 2', 'Tile 1', 'Tile 0']);
    expect(errorCode(await t.gql('{ products(first: 1000) { edges { cursor } } }', {}, { token: admin }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql('{ products(first: 0) { edges { cursor } } }', {}, { token: admin }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await t.gql('{ products(after: "garbage") { edges { cursor } } }', {}, { token: admin }))).toBe('BAD_USER_INPUT');
  });

  it('manages defect types per product', async () => {
    const product = (await t.gql(CREATE, { i: { name: 'Wood panel', imageSize: 64, channels: 3 } }, { token: admin })).json.data!.createProduct;
    const create = 'mutation($p: ID!, $n: String!) { createDefectType(productId: $p, name: $n) { id name productId } }';
    const crack = (await t.gql(create, { p: product.id, n: 'crack' }, { token: admin })).json.data!.createDefectType;
    expect(crack).toMatchObject({ name: 'crack', productId: product.id });
    expect(errorCode(await t.gql(create, { p: product.id, n: 'crack' }, { token: admin }))).toBe('CONFLICT');
    expect(errorCode(await t.gql(create, { p: 'missing', n: 'stain' }, { token: admin }))).toBe('NOT_FOUND');
    await t.gql(create, { p: product.id, n: 'hot glue' }, { token: admin });
    const renamed = await t.gql('mutation($id: ID!) { updateDefectType(id: $id, name: "crack (long)", description: "longer than 5 mm") { name description } }', { id: crack.id }, { token: admin });
    expect(renamed.json.data!.updateDefectType).toEqual({ name: 'crack (long)', description: 'longer than 5 mm' });
    const listed = await t.gql('query($p: ID!) { defectTypes(productId: $p) { edges { node { name } } } }', { p: product.id }, { token: admin });
    expect(listed.json.data!.defectTypes.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['hot glue', 'crack (long)']);
  });

  it('lets viewers read but not write, and keys only with the right scope', async () => {
    const invite = await t.gql('mutation { inviteMember(email: "vic@acme.example", role: VIEWER) { temporaryPassword } }', {}, { token: admin });
    const viewer = await t.login('vic@acme.example', invite.json.data!.inviteMember.temporaryPassword);
    expect((await t.gql('{ products { edges { node { id } } } }', {}, { token: viewer })).json.data!.products.edges.length).toBeGreaterThan(0);
    expect(errorCode(await t.gql(CREATE, { i: { name: 'Viewer product', imageSize: 64, channels: 1 } }, { token: viewer }))).toBe('FORBIDDEN');
    const key = await t.gql('mutation { createApiKey(name: "reader", scopes: ["results:read"]) { token } }', {}, { token: admin });
    const reader = key.json.data!.createApiKey.token;
    expect(errorCode(await t.gql('{ products { edges { node { id } } } }', {}, { token: reader }))).toBe('FORBIDDEN');
    expect((await t.gql(CREATE, { i: { name: 'Key product', imageSize: 64, channels: 1 } }, { token: acme.keyToken })).json.data!.createProduct.name).toBe('Key product');
  });
});
