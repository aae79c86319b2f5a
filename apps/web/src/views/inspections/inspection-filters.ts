import type { InspectionFilter, InspectionStatus, Verdict } from '@gansight/client';

const VERDICTS: Verdict[] = ['PASS', 'FAIL'];
const STATUSES: InspectionStatus[] = ['QUEUED', 'RUNNING', 'DONE', 'FAILED'];

const num = (v: string | null) => (v !== null && v !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined);
const date = (v: string | null) => (v && !Number.isNaN(new Date(v).getTime()) ? new Date(v).toISOString() : undefined);

/** The API filter the URL describes; unknown values are ignored rather than sent. */
export function filterFromParams(p: URLSearchParams): InspectionFilter {
  const f: InspectionFilter = {};
  const verdict = p.get('verdict');
  const status = p.get('status');
  if (p.get('product')) f.productId = p.get('product');
  if (verdict && (VERDICTS as string[]).includes(verdict)) f.verdict = verdict as Verdict;
  if (status && (STATUSES as string[]).includes(status)) f.status = status as InspectionStatus;
  f.minScore = num(p.get('min'));
  f.maxScore = num(p.get('max'));
  if (p.get('line')) f.line = p.get('line');
  if (p.get('station')) f.station = p.get('station');
  if (p.get('lot')) f.lotId = p.get('lot');
  if (p.get('reviewed') === 'yes') f.reviewed = true;
  if (p.get('reviewed') === 'no') f.reviewed = false;
  f.createdAfter = date(p.get('from'));
  f.createdBefore = date(p.get('to'));
  return Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)) as InspectionFilter;
}

type Row = {
  productId: string; verdict: Verdict | null; status: InspectionStatus; normalizedScore: number | null; line: string | null;
  station: string | null; lotId: string | null; reviewVerdict: Verdict | null; createdAt: string;
};

/** Whether a live inspection belongs in the list the filter shows (same rules as the API's). */
export function matchesFilter(i: Row, f: InspectionFilter): boolean {
  if (f.productId && i.productId !== f.productId) return false;
  if (f.verdict && i.verdict !== f.verdict) return false;
  if (f.status && i.status !== f.status) return false;
  if (f.minScore != null && (i.normalizedScore == null || i.normalizedScore < f.minScore)) return false;
  if (f.maxScore != null && (i.normalizedScore == null || i.normalizedScore > f.maxScore)) return false;
  if (f.line && i.line !== f.line) return false;
  if (f.station && i.station !== f.station) return false;
  if (f.lotId && i.lotId !== f.lotId) return false;
  if (f.reviewed === true && i.reviewVerdict === null) return false;
  if (f.reviewed === false && i.reviewVerdict !== null) return false;
  if (f.createdAfter && i.createdAt < f.createdAfter) return false;
  if (f.createdBefore && i.createdAt >= f.createdBefore) return false;
  return true;
}
