import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/run-cli';

// The Grafana dashboard reads only the series docs/DEPLOY.md's metrics contract names, with the
// labels the contract gives them, and shows every one of them: the API and the workers
// implement the contract, so the dashboard and the table cannot drift apart unnoticed.
const dashboard = JSON.parse(readFileSync(path.join(repoRoot, 'infra/grafana/gansight-dashboard.json'), 'utf8'));
const deploy = readFileSync(path.join(repoRoot, 'docs/DEPLOY.md'), 'utf8');

/** Rows of the contract table: metric name -> its labels. */
function contract(): Map<string, string[]> {
  const section = deploy.slice(deploy.indexOf('## The metrics contract'));
  const rows = [...section.matchAll(/^\| `([a-z_]+)` \| (\w+)[^|]*\|([^|]*)\|/gm)];
  return new Map(rows.map((m) => [m[1]!, [...m[3]!.matchAll(/`([a-z_]+)`/g)].map((l) => l[1]!)]));
}

const panels: any[] = dashboard.panels.filter((p: any) => p.type !== 'row');
const exprs: string[] = panels.flatMap((p) => p.targets.map((t: any) => t.expr));
const HISTOGRAM_SUFFIX = /_(bucket|count|sum)$/;
// Labels Prometheus' Kubernetes discovery adds, and the histogram bucket bound.
const SCRAPE_LABELS = ['namespace', 'pod', 'le'];

describe('Grafana dashboard (infra/grafana)', () => {
  it('is a dashboard Grafana can import: unique panel ids, a Prometheus data source variable, a query per panel', () => {
    expect(dashboard.uid).toBe('gansight-operations');
    const ids = dashboard.panels.map((p: any) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(dashboard.templating.list.find((v: any) => v.name === 'datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const p of panels) {
      expect(p.datasource.uid, p.title).toBe('${datasource}');
      expect(p.targets.length, p.title).toBeGreaterThan(0);
      expect(p.gridPos.w * p.gridPos.h, p.title).toBeGreaterThan(0);
    }
  });

  it('reads only the metrics of the contract, and shows every one of them', () => {
    const names = contract();
    expect(names.size).toBeGreaterThanOrEqual(9);
    for (const name of ['gansight_graphql_request_duration_seconds', 'gansight_graphql_errors_total', 'gansight_queue_jobs', 'gansight_job_duration_seconds', 'gansight_inversion_iterations_per_second', 'gansight_images_per_second', 'gansight_backend_info']) {
      expect(names.has(name), name).toBe(true);
    }
    const used = new Set(exprs.flatMap((e) => [...e.matchAll(/\b((?:gansight|process|nodejs)_[a-z_]+)\b/g)].map((m) => m[1]!.replace(HISTOGRAM_SUFFIX, ''))));
    expect([...used].filter((m) => !names.has(m))).toEqual([]);
    expect([...names.keys()].filter((m) => !used.has(m))).toEqual([]);
  });

  it('groups and filters each metric only by labels the contract gives it', () => {
    const names = contract();
    for (const expr of exprs) {
      const metrics = [...expr.matchAll(/\b(gansight_[a-z_]+)\b/g)].map((m) => m[1]!.replace(HISTOGRAM_SUFFIX, ''));
      const labels = [
        ...[...expr.matchAll(/by \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim())),
        ...[...expr.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...m[1]!.matchAll(/([a-z_]+)\s*=~?/g)].map((l) => l[1]!)),
      ];
      const allowed = new Set([...SCRAPE_LABELS, ...metrics.flatMap((m) => names.get(m) ?? [])]);
      expect(labels.filter((l) => !allowed.has(l)), expr).toEqual([]);
    }
  });
});
