import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCode, startTestApi, type TestApi, type TestFactory } from '../../testing/test-api';
import { pngImage, sha256 } from '../../testing/test-images';

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

  it('takes patch-model settings, refuses impossible ones, and holds uploads to half a patch at the working scale', async () => {
    // A factory of its own: the other tests count this factory's products.
    const admin = await t.login((await t.createFactory('Machined Parts')).adminEmail);
    const SETTINGS = 'modelSettings { kind scale patchSize defectMap flips } minimumImageSide';
    const create = `mutation($i: CreateProductInput!) { createProduct(input: $i) { id ${SETTINGS} } }`;
    const whole = await t.gql(create, { i: { name: 'Whole', imageSize: 64, channels: 1 } }, { token: admin });
    expect(whole.json.data!.createProduct).toMatchObject({ modelSettings: { kind: 'WHOLE', scale: null, patchSize: null }, minimumImageSide: 64 });
    const patch = await t.gql(create, { i: { name: 'Machined', imageSize: 64, channels: 1, modelSettings: { kind: 'PATCH', scale: 0.25, patchSize: 32 } } }, { token: admin });
    expect(patch.json.data!.createProduct).toMatchObject({ modelSettings: { kind: 'PATCH', scale: 0.25, patchSize: 32, defectMap: true, flips: true }, minimumImageSide: 64 });
    for (const bad of [{ kind: 'PATCH', scale: 0 }, { kind: 'PATCH', scale: 1.5 }, { kind: 'PATCH', patchSize: 48 }, { kind: 'WHOLE', scale: 0.5 }]) {
      const res = await t.gql(create, { i: { name: `Bad ${JSON.stringify(bad)}`, imageSize: 64, channels: 1, modelSettings: bad } }, { token: admin });
      expect(errorCode(res), JSON.stringify(bad)).toBe('BAD_USER_INPUT');
    }
    const productId = patch.json.data!.createProduct.id;
    const upload = 'mutation($i: UploadImageInput!) { uploadImage(input: $i) { image { id width } } }';
    const send = async (side: number, seed: number) => {
      const bytes = await pngImage(side, seed);
      return t.gql(upload, { i: { productId, dataBase64: bytes.toString('base64'), sha256: sha256(bytes), facts: { split: 'TRAIN', label: 'QUALIFIED' } } }, { token: admin });
    };
    // 32-px tiles at quarter scale: 64 px is half a tile's worth of the original, the least it takes.
    expect(errorCode(await send(48, 1))).toBe('BAD_IMAGE');
    expect((await send(96, 2)).json.data!.uploadImage.image.width).toBe(96);
    // Settings that would leave that 96-px image below half a tile are refused, and nothing changes.
    const update = `mutation($id: ID!, $i: UpdateProductInput!) { updateProduct(id: $id, input: $i) { ${SETTINGS} } }`;
    const refused = await t.gql(update, { id: productId, i: { modelSettings: { kind: 'PATCH', scale: 0.25, patchSize: 128 } } }, { token: admin });
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.json.errors![0]!.message).toMatch(/1 image\(s\) of this product are smaller than 256 px/);
    const after = await t.gql(`query($id: ID!) { product(id: $id) { ${SETTINGS} } }`, { id: productId }, { token: admin });
    expect(after.json.data!.product.modelSettings.patchSize).toBe(32);
    const ok = await t.gql(update, { id: productId, i: { modelSettings: { kind: 'PATCH', scale: 0.5, patchSize: 64, defectMap: false } } }, { token: admin });
    expect(ok.json.data!.updateProduct).toMatchObject({ modelSettings: { kind: 'PATCH', scale: 0.5, patchSize: 64, defectMap: false }, minimumImageSide: 64 });
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
