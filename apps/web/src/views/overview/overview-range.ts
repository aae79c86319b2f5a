import type { TrendBucket } from '@gansight/client';

/** The overview's period: a preset ending now, or a custom [from, to). */
export interface OverviewRange {
  key: string;
  from: Date;
  to: Date;
  bucket: TrendBucket;
}

export const RANGE_PRESETS = [
  { key: '24h', label: 'Last 24 hours', hours: 24, bucket: 'HOUR' as const },
  { key: '7d', label: 'Last 7 days', hours: 24 * 7, bucket: 'DAY' as const },
  { key: '30d', label: 'Last 30 days', hours: 24 * 30, bucket: 'DAY' as const },
  { key: '90d', label: 'Last 90 days', hours: 24 * 90, bucket: 'WEEK' as const },
  { key: '365d', label: 'Last 12 months', hours: 24 * 365, bucket: 'WEEK' as const },
];

const BUCKETS: TrendBucket[] = ['HOUR', 'DAY', 'WEEK'];
/** More buckets than this make an unreadable chart (and a slow one); the bucket is widened instead. */
const MAX_BUCKETS = 800;

/**
 * The range the URL asks for (`range`, or `from`/`to` for a custom one, and `bucket`). "Now" is
 * rounded up to the next minute, so re-renders within a minute ask the API the same question.
 */
export function rangeFromParams(params: URLSearchParams, now = new Date()): OverviewRange {
  const end = new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
  const from = params.get('from');
  const to = params.get('to');
  let range: OverviewRange;
  const custom = from && to ? { from: new Date(from), to: new Date(to) } : null;
  if (custom && !Number.isNaN(custom.from.getTime()) && !Number.isNaN(custom.to.getTime()) && custom.from < custom.to) {
    const hours = (custom.to.getTime() - custom.from.getTime()) / 3_600_000;
    range = { key: 'custom', ...custom, bucket: hours <= 48 ? 'HOUR' : hours <= 24 * 60 ? 'DAY' : 'WEEK' };
  } else {
    const preset = RANGE_PRESETS.find((p) => p.key === params.get('range')) ?? RANGE_PRESETS[1]!;
    range = { key: preset.key, from: new Date(end.getTime() - preset.hours * 3_600_000), to: end, bucket: preset.bucket };
  }
  const asked = params.get('bucket');
  if (asked && (BUCKETS as string[]).includes(asked)) range.bucket = asked as TrendBucket;
  const hours = (range.to.getTime() - range.from.getTime()) / 3_600_000;
  if (range.bucket === 'HOUR' && hours > MAX_BUCKETS) range.bucket = hours / 24 > MAX_BUCKETS ? 'WEEK' : 'DAY';
  return range;
}

/** The period of the same length just before `range`, to compare against. */
export function previousPeriod(range: OverviewRange): { from: Date; to: Date } {
  const length = range.to.getTime() - range.from.getTime();
  return { from: new Date(range.from.getTime() - length), to: range.from };
}
