// `gansight train`'s model kind and patch-model flags, parsed and checked before any work.
import { PATCH_SIZES, DEFAULT_DEFECT_MAP_TRAINING, type DefectMapTraining, type PatchGeometry } from '@gansight/ml';
import { numberFlag } from './number-flag';

export interface ModelKindFlags {
  model?: string;
  scale?: string;
  patch?: string;
  stride?: string;
  flips?: string;
  defectMap?: string;
  defectMapSteps?: string;
  defectMapNf?: string;
}

export type ParsedModelKind =
  | { kind: 'whole' }
  | { kind: 'patch'; geometry: PatchGeometry; defectMap: DefectMapTraining | null };

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

/** Parses --model and the patch flags; exits 2 naming a bad value. */
export function parseModelKind(o: ModelKindFlags): ParsedModelKind {
  const kind = o.model ?? 'patch';
  if (kind === 'whole') return { kind };
  if (kind !== 'patch') fail(`--model must be patch or whole, got "${kind}"`);
  const patch = numberFlag(o.patch ?? '64', '--patch', { min: 1, integer: true });
  if (!(PATCH_SIZES as readonly number[]).includes(patch)) fail(`--patch must be one of ${PATCH_SIZES.join(', ')}, got ${patch}`);
  const scale = numberFlag(o.scale ?? '0.5', '--scale', { min: 0 });
  if (!(scale > 0 && scale <= 1)) fail(`--scale must be in (0, 1] (1 = native resolution), got ${scale}`);
  // Tiles side by side by default (ADR 0063); the last row and column still reach the edge.
  const stride = numberFlag(o.stride ?? String(patch), '--stride', { min: 1, integer: true });
  if (stride > patch) fail(`--stride must be at most the patch (${patch}), got ${stride}`);
  const flips = o.flips ?? 'on';
  if (flips !== 'on' && flips !== 'off') fail(`--flips must be on or off, got "${flips}"`);
  const map = o.defectMap ?? 'on';
  if (map !== 'on' && map !== 'off') fail(`--defect-map must be on or off, got "${map}"`);
  const defectMap = map === 'off' ? null : {
    ...DEFAULT_DEFECT_MAP_TRAINING,
    steps: numberFlag(o.defectMapSteps ?? String(DEFAULT_DEFECT_MAP_TRAINING.steps), '--defect-map-steps', { min: 1, integer: true }),
    nf: numberFlag(o.defectMapNf ?? String(DEFAULT_DEFECT_MAP_TRAINING.nf), '--defect-map-nf', { min: 1, integer: true }),
  };
  return { kind: 'patch', geometry: { scale, patch: patch as PatchGeometry['patch'], stride, flips: flips === 'on' }, defectMap };
}
