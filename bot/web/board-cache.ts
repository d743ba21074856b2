import { createHash } from "node:crypto";
import { assessPeriod } from "../../src/assessment/assess-period.js";
import type { AssessmentModel } from "../../src/assessment/assessment-model.js";
import { figuresHash } from "../../src/assessment/figures-hash.js";
import { type Period, periodKey } from "../../src/domain/period.js";
import type { Programme } from "../../src/programme/programme.js";
import type { ConfirmedReport } from "../../src/reports/confirmed-reports.js";
import type { BoardZone } from "./board-view.js";

/**
 * Bump when the charts' look changes (options, sizes, fonts): cached SVGs of the old look are then
 * never served.
 */
export const CHART_CACHE_VERSION = 1;

/** A small least-recently-used map (insertion order of a Map). */
export class Lru<V> {
  private readonly m = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.m.get(key);
    if (v !== undefined) {
      this.m.delete(key);
      this.m.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.m.delete(key);
    this.m.set(key, v);
    if (this.m.size > this.max) this.m.delete(this.m.keys().next().value!);
  }
  get size(): number {
    return this.m.size;
  }
}

/**
 * What the board computes from the store's rows, kept while the rows stay the same: the assessment
 * per (programme object, period, the exact revisions counted), and each model's figures hash. The
 * programme comes from the programme cache (the same frozen object until something changes), so a
 * changed roster or target is a new key; a new or corrected report is a new revision id.
 */
export class BoardCache {
  private readonly models = new WeakMap<Programme, Lru<AssessmentModel>>();
  private readonly hashes = new WeakMap<AssessmentModel, string>();
  private readonly figureHashes = new WeakMap<AssessmentModel, string>();
  private readonly rowMaps = new WeakMap<AssessmentModel, Map<string, BoardZone>>();
  /** Chart SVGs by figures hash, chart version and what the chart shows (filter). */
  readonly charts = new Lru<{ chartSvg: string | null; chartNote: string | null; gaugeSvg: string | null }>(
    64,
  );
  hits = 0;
  misses = 0;

  model(programme: Programme, period: Period, reports: ConfirmedReport[], now: Date): AssessmentModel {
    let perProgramme = this.models.get(programme);
    if (!perProgramme) {
      perProgramme = new Lru(8);
      this.models.set(programme, perProgramme);
    }
    const key = `${periodKey(period)}|${reportsFingerprint(reports)}`;
    const hit = perProgramme.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const model = assessPeriod({ programme, period, reports, builtAt: now });
    perProgramme.set(key, model);
    return model;
  }

  /** The board's rows of a model by zone id (they depend on the model only, see board-row-html.ts). */
  rows(model: AssessmentModel): Map<string, BoardZone> {
    let m = this.rowMaps.get(model);
    if (!m) {
      m = new Map();
      this.rowMaps.set(model, m);
    }
    return m;
  }

  /** figuresHash(model), computed once per model. */
  figuresHash(model: AssessmentModel): string {
    let h = this.figureHashes.get(model);
    if (!h) {
      h = figuresHash(model);
      this.figureHashes.set(model, h);
    }
    return h;
  }

  /**
   * What a chart of this model depends on: its figures hash, plus the labels the chart prints (zone
   * short names, group and indicator labels), which the figures hash leaves out. Computed once per model.
   */
  chartKey(model: AssessmentModel): string {
    let h = this.hashes.get(model);
    if (!h) {
      const labels = createHash("sha1")
        .update(
          JSON.stringify([
            model.periodLabel,
            model.zones.map((z) => z.shortName),
            model.groups.map((g) => [g.label, g.headline?.label ?? null]),
          ]),
        )
        .digest("base64url");
      h = `${this.figuresHash(model)}.${labels}`;
      this.hashes.set(model, h);
    }
    return h;
  }
}

/** The revisions counted (id and late flag per zone): any new, corrected or late report changes it. */
export function reportsFingerprint(reports: ConfirmedReport[]): string {
  const h = createHash("sha1");
  for (const r of reports) h.update(`${r.zoneId}\u0000${r.revisionId}\u0000${r.late ? 1 : 0}\u0001`);
  return h.digest("base64url");
}
