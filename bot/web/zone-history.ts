import type { TrendPoint } from "../../src/charts/circular-charts.js";
import type { Db } from "../../src/db/database.js";
import { completionPct } from "../../src/domain/completion.js";
import { Decimal } from "../../src/domain/decimal.js";
import { periodLabel, type Quarter } from "../../src/domain/period.js";
import type { IndicatorDef, Programme, ZoneDef } from "../../src/programme/programme.js";
import { parseRevisionValues } from "../../src/reports/confirmed-reports.js";
import { displayValue } from "../../src/reports/display-value.js";
import { CHANNEL_LABELS } from "./labels.js";

export interface RevisionView {
  id: number;
  quarter: number;
  revisionNo: number;
  status: string;
  statusLabel: string;
  late: boolean;
  senderName: string;
  senderId: string;
  channel: string;
  channelLabel: string;
  createdAt: Date;
  confirmedAt: Date | null;
  rawText: string;
  /** The file the revision was read from (its stored copy is served by the zone routes), or null. */
  file: { name: string } | null;
  /** The inbound message kind (text, file, voice, …) when the revision came from a message. */
  inboundKind: string | null;
  values: { label: string; text: string }[];
  /** Against the previous revision of the same quarter; empty for the first. */
  changes: { label: string; before: string; after: string }[];
}

const STATUS_LABELS: Record<string, string> = {
  pending: "待确认",
  confirmed: "已确认",
  cancelled: "已取消",
  expired: "已过期",
};

/**
 * Every revision of a zone in a programme year, newest first, with sender, channel, time, raw text
 * (and the file it came from) and what changed. Three queries whatever the number of revisions:
 * revisions, their senders, their inbound messages.
 */
export async function loadZoneHistory(
  db: Db,
  p: Programme,
  zone: ZoneDef,
): Promise<{ revisions: RevisionView[]; latestConfirmed: Map<number, Record<string, string>> }> {
  const rows = await db.reportRevision.findMany({
    where: { year: p.year, zoneId: zone.id },
    orderBy: [{ quarter: "asc" }, { revisionNo: "asc" }],
  });
  const contactIds = [...new Set(rows.map((r) => r.contactId))];
  const inboundIds = rows.flatMap((r) => (r.inboundMessageId ? [r.inboundMessageId] : []));
  const [contacts, inbound] = await Promise.all([
    contactIds.length
      ? db.contact.findMany({ where: { id: { in: contactIds } }, select: { id: true, name: true } })
      : [],
    inboundIds.length
      ? db.inboundMessage.findMany({ where: { id: { in: inboundIds } }, select: { id: true, kind: true } })
      : [],
  ]);
  const nameOf = new Map(contacts.map((c) => [c.id, c.name]));
  const kindOf = new Map(inbound.map((m) => [m.id, m.kind]));
  const ind = new Map(p.indicators.map((i) => [i.key, i]));
  const show = (key: string, v: string | undefined) => {
    if (v === undefined) return "—";
    const def = ind.get(key);
    return def ? displayValue(def, v) : v;
  };
  const label = (key: string) => ind.get(key)?.label ?? key;
  const order = (keys: string[]) =>
    keys.sort(
      (a, b) => (ind.get(a)?.sortOrder ?? 999) - (ind.get(b)?.sortOrder ?? 999) || a.localeCompare(b),
    );
  const previous = new Map<number, Record<string, string>>();
  const out: RevisionView[] = [];
  const latestConfirmed = new Map<number, Record<string, string>>();
  for (const r of rows) {
    const values = parseRevisionValues(r.values);
    if (r.status === "confirmed") latestConfirmed.set(r.quarter, values);
    const before = previous.get(r.quarter);
    const changes = before
      ? order([...new Set([...Object.keys(before), ...Object.keys(values)])])
          .filter((k) => before[k] !== values[k])
          .map((k) => ({ label: label(k), before: show(k, before[k]), after: show(k, values[k]) }))
      : [];
    previous.set(r.quarter, values);
    out.push({
      id: r.id,
      quarter: r.quarter,
      revisionNo: r.revisionNo,
      status: r.status,
      statusLabel: STATUS_LABELS[r.status] ?? r.status,
      late: r.late,
      senderName: nameOf.get(r.contactId) ?? r.contactId,
      senderId: r.contactId,
      channel: r.channel,
      channelLabel: CHANNEL_LABELS[r.channel] ?? r.channel,
      createdAt: r.createdAt,
      confirmedAt: r.confirmedAt,
      rawText: r.rawText,
      file: r.rawFileSha256 && r.rawFilePath ? { name: r.rawFileName ?? r.rawFilePath } : null,
      inboundKind: kindLabel(r.inboundMessageId ? kindOf.get(r.inboundMessageId) : undefined),
      values: order(Object.keys(values)).map((k) => ({ label: label(k), text: show(k, values[k]) })),
      changes,
    });
  }
  return { revisions: out.reverse(), latestConfirmed };
}

/** The figure a zone's trend follows: its headline target (e.g. 进出口), else its first target. */
export function trendIndicator(
  p: Programme,
  zone: ZoneDef,
): { def: IndicatorDef; target: Decimal } | undefined {
  const targets = p.targets.filter((t) => t.scope === "zone" && t.zoneId === zone.id && t.value.gt(0));
  const groupKeys = new Set(
    p.targets
      .filter((t) => t.scope === "group" && zone.groups.includes(t.groupCode!))
      .map((t) => t.indicatorKey),
  );
  const t = targets.find((x) => groupKeys.has(x.indicatorKey)) ?? targets[0];
  const def = t && p.indicators.find((i) => i.key === t.indicatorKey);
  return t && def ? { def, target: t.value } : undefined;
}

/** Completion per quarter (latest confirmed revision of each) against each quarter's time-progress. */
export function zoneTrend(
  p: Programme,
  latestConfirmed: Map<number, Record<string, string>>,
  key: string,
  target: Decimal,
): TrendPoint[] {
  return ([1, 2, 3, 4] as Quarter[]).map((q) => {
    const v = latestConfirmed.get(q)?.[key];
    const d = v === undefined ? undefined : Decimal.tryParse(v);
    const expected = p.quarters.find((x) => x.quarter === q)?.expectedProgressPct ?? Decimal.of(q * 25);
    return {
      label: periodLabel({ year: p.year, quarter: q }).replace(/^\d+年第/, ""),
      completionPct: d === undefined ? null : (completionPct(d, target)?.toString() ?? null),
      expectedPct: expected.toString(),
    };
  });
}

/** The inbound row's kind in words (null for typed text: nothing to say). */
const KIND_LABELS: Readonly<Record<string, string>> = {
  action: "卡片按钮",
  file: "文件",
  image: "图片",
  voice: "语音",
  video: "视频",
  location: "位置",
  link: "链接",
  other: "其他",
};
function kindLabel(kind: string | undefined): string | null {
  return kind === undefined || kind === "text" ? null : (KIND_LABELS[kind] ?? kind);
}
