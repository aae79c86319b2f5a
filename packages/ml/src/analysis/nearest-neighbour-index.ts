// Exact Euclidean nearest-neighbour search over a fixed point set: a k-d tree (split on the
// widest coordinate at the median) searched with Arya and Mount's incremental cell distance, as
// scipy's cKDTree does. Brute force over 180,000 points for 250,000 queries is 4.5e10 distances;
// the tree visits a small share of them, and `stopAtOrBelow` lets a caller that only needs the
// largest of many nearest distances (an image's worst patch) stop a query as soon as it cannot
// be that largest one.

/** A built index: the points reordered leaf by leaf, with their groups and the tree's nodes. */
export interface NearestNeighbourIndex {
  dim: number;
  size: number;
  /** size x dim, in tree order. */
  points: Float64Array;
  /** Group of each point in tree order (e.g. the image it came from), for leave-one-group-out queries. */
  groups: Int32Array;
  /** Per node: first and one-past-last point, split coordinate (-1: leaf), split value, children. */
  start: Int32Array;
  end: Int32Array;
  splitDim: Int32Array;
  splitValue: Float64Array;
  left: Int32Array;
  right: Int32Array;
}

export interface NearestQuery {
  /** Skip points of this group (leave-one-group-out: a training image must not find itself). */
  excludeGroup?: number;
  /**
   * Stop as soon as a point at squared distance <= this is found and return that (an upper
   * bound, not the exact nearest distance). Default -Infinity: always exact.
   */
  stopAtOrBelow?: number;
}

/** Builds the index over `count` points of `dim` coordinates laid end to end; `groups` defaults to all 0. */
export function buildNearestNeighbourIndex(points: ArrayLike<number>, dim: number, groups?: ArrayLike<number>, leafSize = 12): NearestNeighbourIndex {
  if (!(Number.isInteger(dim) && dim >= 1)) throw new RangeError(`dim must be a positive integer, got ${dim}`);
  const size = points.length / dim;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`${points.length} values are not a whole number of ${dim}-dimensional points`);
  if (groups && groups.length !== size) throw new RangeError(`${groups.length} groups for ${size} points`);
  for (let i = 0; i < points.length; i++) if (!Number.isFinite(points[i] as number)) throw new RangeError(`point ${Math.floor(i / dim)} has a non-finite value`);
  const order = Int32Array.from({ length: size }, (_, i) => i);
  const maxNodes = 2 * Math.ceil(size / Math.max(1, leafSize >> 1)) + 1;
  const start = new Int32Array(maxNodes);
  const end = new Int32Array(maxNodes);
  const splitDim = new Int32Array(maxNodes).fill(-1);
  const splitValue = new Float64Array(maxNodes);
  const left = new Int32Array(maxNodes);
  const right = new Int32Array(maxNodes);
  let nodes = 0;
  const coord = (i: number, d: number) => points[i * dim + d] as number;

  const build = (lo: number, hi: number): number => {
    const node = nodes++;
    start[node] = lo;
    end[node] = hi;
    if (hi - lo <= leafSize) return node;
    let widest = 0;
    let spread = -1;
    for (let d = 0; d < dim; d++) {
      let min = Infinity;
      let max = -Infinity;
      for (let k = lo; k < hi; k++) {
        const v = coord(order[k] as number, d);
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max - min > spread) {
        spread = max - min;
        widest = d;
      }
    }
    if (spread <= 0) return node; // all points equal: a leaf, however many
    const mid = (lo + hi) >> 1;
    selectNth(order, lo, hi, mid, (i) => coord(i, widest));
    splitDim[node] = widest;
    splitValue[node] = coord(order[mid] as number, widest);
    left[node] = build(lo, mid);
    right[node] = build(mid, hi);
    return node;
  };
  build(0, size);

  const sorted = new Float64Array(size * dim);
  const sortedGroups = new Int32Array(size);
  for (let k = 0; k < size; k++) {
    const i = order[k] as number;
    for (let d = 0; d < dim; d++) sorted[k * dim + d] = coord(i, d);
    sortedGroups[k] = groups ? (groups[i] as number) : 0;
  }
  return {
    dim, size, points: sorted, groups: sortedGroups,
    start: start.slice(0, nodes), end: end.slice(0, nodes), splitDim: splitDim.slice(0, nodes),
    splitValue: splitValue.slice(0, nodes), left: left.slice(0, nodes), right: right.slice(0, nodes),
  };
}

/** Rearranges order[lo..hi) so that position n holds the element of rank n by key (Hoare's quickselect). */
function selectNth(order: Int32Array, lo: number, hi: number, n: number, key: (i: number) => number): void {
  let a = lo;
  let b = hi - 1;
  while (b > a) {
    const pivot = key(order[(a + b) >> 1] as number);
    let i = a;
    let j = b;
    while (i <= j) {
      while (key(order[i] as number) < pivot) i++;
      while (key(order[j] as number) > pivot) j--;
      if (i <= j) {
        const t = order[i] as number;
        order[i] = order[j] as number;
        order[j] = t;
        i++;
        j--;
      }
    }
    if (n <= j) b = j;
    else if (n >= i) a = i;
    else return;
  }
}

/**
 * Squared Euclidean distance from `query` to its nearest indexed point (outside `excludeGroup`);
 * Infinity when every point is excluded. With `stopAtOrBelow`, see NearestQuery.
 */
export function nearestSquaredDistance(index: NearestNeighbourIndex, query: ArrayLike<number>, q: NearestQuery = {}): number {
  const { dim, points, groups, start, end, splitDim, splitValue, left, right } = index;
  if (query.length !== dim) throw new RangeError(`query has ${query.length} values, the index ${dim}`);
  const exclude = q.excludeGroup ?? Number.NaN;
  const stop = q.stopAtOrBelow ?? -Infinity;
  const offset = new Float64Array(dim);
  let best = Infinity;
  let done = false;

  const visit = (node: number, cellDistance: number): void => {
    const d = splitDim[node] as number;
    if (d < 0) {
      for (let k = start[node] as number, e = end[node] as number; k < e; k++) {
        if (groups[k] === exclude) continue;
        let s = 0;
        const base = k * dim;
        for (let j = 0; j < dim; j++) {
          const t = (query[j] as number) - (points[base + j] as number);
          s += t * t;
        }
        if (s < best) {
          best = s;
          if (best <= stop) {
            done = true;
            return;
          }
        }
      }
      return;
    }
    const diff = (query[d] as number) - (splitValue[node] as number);
    visit((diff < 0 ? left[node] : right[node]) as number, cellDistance);
    if (done) return;
    // The far cell: only this coordinate's offset changes (Arya and Mount).
    const old = offset[d] as number;
    const far = cellDistance - old * old + diff * diff;
    if (far < best) {
      offset[d] = diff;
      visit((diff < 0 ? right[node] : left[node]) as number, far);
      offset[d] = old;
    }
  };
  visit(0, 0);
  return best;
}
