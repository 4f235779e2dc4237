import { metricKey, type Datapoint, type MetricId, type Statistic } from "./types.js";

/**
 * A source a test sets instead of publishing datapoints: a value from a time on, or a series of
 * steps. It is read as a gauge: each period sees the value in force when the period began.
 */
export interface GaugeStep {
  at: number;
  value: number;
}

interface Series {
  id: MetricId;
  points: Datapoint[];
  gauge?: GaugeStep[];
}

export interface PersistedSeries {
  key: string;
  id: MetricId;
  points: Datapoint[];
  gauge?: GaugeStep[];
}

/** How long datapoints are kept: enough for any alarm or scaling look-back, bounded in memory. */
const RETENTION_MS = 3 * 3_600_000;

/** The metrics of one account and Region: published datapoints and test-set gauges. */
export class MetricsState {
  private readonly series = new Map<string, Series>();

  put(id: MetricId, point: Datapoint): void {
    const s = this.entry(id);
    s.points.push(point);
    if (s.points.length > 1 && s.points[s.points.length - 2]!.t > point.t) s.points.sort((a, b) => a.t - b.t);
    const horizon = point.t - RETENTION_MS;
    while (s.points.length > 0 && s.points[0]!.t < horizon) s.points.shift();
  }

  setGauge(id: MetricId, steps: GaugeStep[]): void {
    this.entry(id).gauge = [...steps].sort((a, b) => a.at - b.at);
  }

  hasGauge(id: MetricId): boolean {
    return this.series.get(metricKey(id))?.gauge !== undefined;
  }

  clearGauge(id: MetricId): void {
    const s = this.series.get(metricKey(id));
    if (s) delete s.gauge;
  }

  list(): { id: MetricId; points: number; gauge?: GaugeStep[] }[] {
    return [...this.series.values()].map((s) => ({ id: s.id, points: s.points.length, ...(s.gauge ? { gauge: s.gauge } : {}) }));
  }

  /**
   * One statistic per period from `start` (inclusive) to `end` (exclusive), oldest first;
   * a period without data is left out, as CloudWatch leaves it out.
   */
  statistics(id: MetricId, stat: Statistic, start: number, end: number, periodMs: number): { t: number; value: number }[] {
    const s = this.series.get(metricKey(id));
    if (!s) return [];
    const out: { t: number; value: number }[] = [];
    for (let t = start; t < end; t += periodMs) {
      const agg = s.gauge ? gaugeAt(s.gauge, t) : aggregate(s.points, t, t + periodMs);
      if (agg) out.push({ t, value: statisticOf(agg, stat) });
    }
    return out;
  }

  /** Every series as plain data, for --state-dir. */
  snapshot(): PersistedSeries[] {
    return [...this.series.entries()].map(([key, s]) => ({ key, id: s.id, points: s.points, ...(s.gauge ? { gauge: s.gauge } : {}) }));
  }

  restore(saved: PersistedSeries): void {
    this.series.set(metricKey(saved.id), { id: saved.id, points: [...saved.points], ...(saved.gauge ? { gauge: [...saved.gauge] } : {}) });
  }

  private entry(id: MetricId): Series {
    const key = metricKey(id);
    let s = this.series.get(key);
    if (!s) {
      s = { id: { Namespace: id.Namespace, MetricName: id.MetricName, Dimensions: id.Dimensions ?? [] }, points: [] };
      this.series.set(key, s);
    }
    return s;
  }
}

function gaugeAt(steps: GaugeStep[], t: number): Datapoint | undefined {
  let current: GaugeStep | undefined;
  for (const step of steps) {
    if (step.at > t) break;
    current = step;
  }
  return current ? { t, sum: current.value, count: 1, min: current.value, max: current.value } : undefined;
}

function aggregate(points: Datapoint[], from: number, to: number): Datapoint | undefined {
  let acc: Datapoint | undefined;
  for (const p of points) {
    if (p.t < from) continue;
    if (p.t >= to) break;
    acc = acc
      ? { t: from, sum: acc.sum + p.sum, count: acc.count + p.count, min: Math.min(acc.min, p.min), max: Math.max(acc.max, p.max) }
      : { ...p, t: from };
  }
  return acc;
}

function statisticOf(d: Datapoint, stat: Statistic): number {
  switch (stat) {
    case "Average":
      return d.count ? d.sum / d.count : 0;
    case "Sum":
      return d.sum;
    case "Minimum":
      return d.min;
    case "Maximum":
      return d.max;
    case "SampleCount":
      return d.count;
  }
}
