// The chart dangers of a change impact: a HelmRelease whose chart moves to a new major version — its spec.chart's
// version, or the tag or version of the OCIRepository or HelmChart its spec.chartRef names (issue 15) — and a
// HelmRelease that installs another chart (another chartRef, another chart or source, or spec.chart ↔ spec.chartRef).
import type { Json, JsonObject, Resource } from '../kustomize/types';
import type { ContextId } from '../evaluate/contextId';
import { objectRef } from './objectDiff';
import { danger, isHelmRelease, refLabel, refOf, show, under } from './dangers';
import type { Danger, FieldChange, ObjectChange, ObjectRef } from './types';

function obj(v: Json | undefined): JsonObject | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function major(v: Json | undefined): string | undefined {
  const m = typeof v === 'string' ? /^[v=^~ ]*(\d+)/.exec(v) : undefined;
  return m?.[1];
}

function nameOf(ref: JsonObject): string {
  return [ref.kind, ref.namespace, ref.name].filter((x) => typeof x === 'string' && x !== '').join('/');
}

/**
 * The chart a HelmRelease installs as a reviewer names it (`spec.chartRef: OCIRepository/podinfo`, `spec.chart:
 * podinfo 6.5.0 from HelmRepository/charts`) and what identifies it (the version aside: chart-major says that).
 */
function chartOf(release: JsonObject): { field: string; identity: string; label: string } | undefined {
  const spec = obj(release.spec);
  const ref = obj(spec?.chartRef);
  if (ref) return { field: 'spec.chartRef', identity: nameOf(ref), label: nameOf(ref) };
  const chart = obj(obj(spec?.chart)?.spec);
  if (!chart) return undefined;
  const source = obj(chart.sourceRef);
  const from = source ? ` from ${nameOf(source)}` : '';
  return { field: 'spec.chart', identity: `${show(chart.chart)}${from}`, label: `${show(chart.chart)}${typeof chart.version === 'string' ? ` ${chart.version}` : ''}${from}` };
}

/** `spec.chartRef: A → B`, or with each side's field when they differ (`spec.chart: a → spec.chartRef: B`). */
function chartChange(was: ReturnType<typeof chartOf>, now: ReturnType<typeof chartOf>): string {
  const side = (c: ReturnType<typeof chartOf>) => (c ? `${c.field}: ${c.label}` : 'no chart');
  return was && now && was.field === now.field ? `${was.field}: ${was.label} → ${now.label}` : `${side(was)} → ${side(now)}`;
}

const CHART_FIELDS = ['/spec/chart', '/spec/chartRef'];

/** A HelmRelease changed: a new major version of its spec.chart, or another chart altogether. */
export function chartDangers(id: ContextId, ref: ObjectRef, fields: FieldChange[], base: JsonObject, work: JsonObject): Danger[] {
  const out: Danger[] = [];
  const version = fields.find((f) => f.path === '/spec/chart/spec/version');
  if (version && major(version.old) !== undefined && major(version.new) !== undefined && major(version.old) !== major(version.new)) {
    out.push(danger('chart-major', 'warning', `${refLabel(ref)}: chart ${show(version.old)} → ${show(version.new)}, a new major version (read its upgrade notes).`, id, [ref], version.cause));
  }
  const [was, now] = [chartOf(base), chartOf(work)];
  if (was?.field !== now?.field || was?.identity !== now?.identity) {
    // At the working tree's line that names the new chart (a removed field's cause is the baseline's line).
    const charts = fields.filter((f) => CHART_FIELDS.some((p) => under(f.path, p)));
    const at = (charts.find((f) => f.cause && !f.cause.baseline) ?? charts[0])?.cause;
    out.push(danger('chart-changed', 'warning', `${refLabel(ref)}: its chart changes (${chartChange(was, now)}): Helm upgrades the release to another chart.`, id, [ref], at));
  }
  return out;
}

/** Where a chart source keeps the chart's version. */
const SOURCE_VERSIONS: Readonly<Record<string, readonly string[]>> = { OCIRepository: ['/spec/ref/tag', '/spec/ref/semver'], HelmChart: ['/spec/version'] };

/**
 * An OCIRepository or HelmChart whose version moves to a new major: a chart-major danger for each HelmRelease of the
 * context whose spec.chartRef names it (an OCIRepository no release installs is an artifact, not a chart).
 */
export function sourceChartDangers(id: ContextId, objects: ObjectChange[], work: readonly Resource[]): Danger[] {
  const out: Danger[] = [];
  for (const o of objects) {
    const paths = SOURCE_VERSIONS[o.kind];
    if (o.status !== 'changed' || !paths || !o.apiVersion.startsWith('source.toolkit.fluxcd.io/')) continue;
    const version = o.fields.find((f) => paths.includes(f.path));
    if (!version || major(version.old) === undefined || major(version.new) === undefined || major(version.old) === major(version.new)) continue;
    for (const r of work) {
      const release = objectRef(r.obj);
      const chartRef = obj(obj(r.obj.spec)?.chartRef);
      if (!isHelmRelease(release) || !chartRef || chartRef.name !== o.name || (chartRef.kind ?? 'OCIRepository') !== o.kind) continue;
      if ((typeof chartRef.namespace === 'string' ? chartRef.namespace : release.namespace) !== o.namespace) continue;
      out.push(danger('chart-major', 'warning', `${refLabel(release)}: chart ${show(version.old)} → ${show(version.new)} (${refLabel(o)}), a new major version (read its upgrade notes).`, id, [refOf(release)], version.cause));
    }
  }
  return out;
}
