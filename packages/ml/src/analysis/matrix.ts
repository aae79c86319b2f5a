// Dense row-major matrices on Float64Array: the one representation every analysis routine shares.

/** A dense row-major matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** Anything that can be read as a list of equally long numeric vectors (samples x features). */
export type Vectors = ReadonlyArray<ArrayLike<number>>;

/** A rows x cols matrix of zeros. */
export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** The n x n identity. */
export function identity(n: number): Matrix {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** A matrix whose rows are the given vectors; throws when lengths differ or the list is empty. */
export function fromRows(rows: Vectors): Matrix {
  const first = rows[0];
  if (!first) throw new RangeError('fromRows: no rows given');
  const cols = first.length;
  const m = zeros(rows.length, cols);
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`fromRows: row ${i} has ${row.length} values, expected ${cols}`);
    for (let j = 0; j < cols; j++) m.data[i * cols + j] = row[j] as number;
  });
  return m;
}

/** The transpose. */
export function transpose(m: Matrix): Matrix {
  const t = zeros(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) t.data[j * m.rows + i] = m.data[i * m.cols + j] as number;
  return t;
}

/** The product a * b (i-k-j loop order so the inner loop runs over contiguous memory). */
export function matMul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new RangeError(`matMul: ${a.rows}x${a.cols} times ${b.rows}x${b.cols}`);
  const out = zeros(a.rows, b.cols);
  const { data: A } = a;
  const { data: B } = b;
  const C = out.data;
  const n = b.cols;
  for (let i = 0; i < a.rows; i++) {
    const ci = i * n;
    for (let k = 0; k < a.cols; k++) {
      const aik = A[i * a.cols + k] as number;
      if (aik === 0) continue;
      const bk = k * n;
      for (let j = 0; j < n; j++) C[ci + j] = (C[ci + j] as number) + aik * (B[bk + j] as number);
    }
  }
  return out;
}

/** a * v for a vector v. */
export function matVec(a: Matrix, v: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += (a.data[i * a.cols + j] as number) * (v[j] as number);
    out[i] = s;
  }
  return out;
}

/** A copy of a square matrix with `value` added to its diagonal. */
export function addToDiagonal(m: Matrix, value: number): Matrix {
  const out = { rows: m.rows, cols: m.cols, data: m.data.slice() };
  for (let i = 0; i < Math.min(m.rows, m.cols); i++) out.data[i * m.cols + i] = (out.data[i * m.cols + i] as number) + value;
  return out;
}

/** Sum of the diagonal. */
export function trace(m: Matrix): number {
  let s = 0;
  for (let i = 0; i < Math.min(m.rows, m.cols); i++) s += m.data[i * m.cols + i] as number;
  return s;
}

/** Squared Euclidean distance between two vectors of equal length. */
export function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return s;
}

