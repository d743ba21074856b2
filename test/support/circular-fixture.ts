import type { Db } from "../../src/db/database.js";
import type { GroupCode, IndicatorKind } from "../../src/domain/codes.js";
import { Decimal } from "../../src/domain/decimal.js";
import type { Quarter } from "../../src/domain/period.js";
import { type Programme, programmeSettingsSchema } from "../../src/programme/programme.js";
import type { ConfirmedReport } from "../../src/reports/confirmed-reports.js";
import { createChatGroups, createContacts } from "./create-contacts.js";

/**
 * A small 2023 roster for circular tests, small enough to compute every figure by hand.
 * Foreign-trade zones and annual trade targets (万元; they add up to the 1 300 000 group target):
 *   白云 400000 · 清镇 200000 · 惠水 100000 · 龙里 100000 · 松桃 0 (zero target) · 大龙 500000
 * plus 贵阳经开区 (national only, no trade target) and 都匀 (provincial only).
 * Work quotas for every foreign-trade zone: projects 10, trips 15, entities 5, trainings 5.
 * Grade bands (fixture settings): 一档 ≥ 30 %, 二档 ≥ 20 %, 三档 ≥ 5 %, 四档 ≥ 0 % of the group's trade.
 */
export const CF = {
  year: 2023,
  zones: {
    baiyun: "Z5201-BY",
    qingzhen: "Z5201-QZ",
    guiyang: "Z5201-GY",
    huishui: "Z5227-HS",
    longli: "Z5227-LL",
    duyun: "Z5227-DY",
    songtao: "Z5206-ST",
    dalong: "Z5206-DL",
  },
  contacts: { taskForce: "TF01", taskForce2: "TF02", bureau: "C5227", taskForceWecom: "tf_zhang" },
} as const;

const FT: GroupCode[] = ["foreign_trade"];

export const CF_PREFECTURES = [
  { code: "5201", name: "贵阳市", shortName: "贵阳", sortOrder: 1 },
  { code: "5206", name: "铜仁市", shortName: "铜仁", sortOrder: 6 },
  { code: "5227", name: "黔南布依族苗族自治州", shortName: "黔南州", sortOrder: 9 },
];

export const CF_ZONES: Array<{
  id: string;
  name: string;
  shortName: string;
  prefectureCode: string;
  groups: GroupCode[];
}> = [
  { id: CF.zones.baiyun, name: "白云经开区", shortName: "白云", prefectureCode: "5201", groups: FT },
  {
    id: CF.zones.guiyang,
    name: "贵阳经开区",
    shortName: "贵阳",
    prefectureCode: "5201",
    groups: ["national"],
  },
  { id: CF.zones.qingzhen, name: "清镇经开区", shortName: "清镇", prefectureCode: "5201", groups: FT },
  { id: CF.zones.dalong, name: "大龙经开区", shortName: "大龙", prefectureCode: "5206", groups: FT },
  { id: CF.zones.songtao, name: "松桃经开区", shortName: "松桃", prefectureCode: "5206", groups: FT },
  {
    id: CF.zones.duyun,
    name: "都匀经开区",
    shortName: "都匀",
    prefectureCode: "5227",
    groups: ["provincial"],
  },
  { id: CF.zones.huishui, name: "惠水经开区", shortName: "惠水", prefectureCode: "5227", groups: FT },
  { id: CF.zones.longli, name: "龙里经开区", shortName: "龙里", prefectureCode: "5227", groups: FT },
];

export const CF_INDICATORS: Array<{
  key: string;
  label: string;
  unit: string;
  kind: IndicatorKind;
  groups: GroupCode[];
}> = [
  { key: "trade_total", label: "进出口", unit: "万元", kind: "money", groups: [] },
  { key: "trade_yoy", label: "进出口同比", unit: "%", kind: "percent", groups: [] },
  { key: "projects", label: "包装招商项目", unit: "个", kind: "count", groups: FT },
  { key: "trips", label: "赴外招商", unit: "次", kind: "count", groups: FT },
  { key: "entities", label: "引进外贸市场主体", unit: "家", kind: "count", groups: FT },
  { key: "trainings", label: "人才培训", unit: "场", kind: "count", groups: FT },
  { key: "notes", label: "主要工作", unit: "", kind: "text", groups: [] },
];

const TRADE_TARGETS: Record<string, string> = {
  [CF.zones.baiyun]: "400000",
  [CF.zones.qingzhen]: "200000",
  [CF.zones.huishui]: "100000",
  [CF.zones.longli]: "100000",
  [CF.zones.songtao]: "0",
  [CF.zones.dalong]: "500000",
};
const QUOTAS: Record<string, string> = { projects: "10", trips: "15", entities: "5", trainings: "5" };

export const CF_TARGETS: Array<{
  scope: "zone" | "group";
  zoneId: string;
  groupCode: string;
  indicatorKey: string;
  value: string;
}> = [
  { scope: "group", zoneId: "", groupCode: "foreign_trade", indicatorKey: "trade_total", value: "1300000" },
  ...Object.entries(TRADE_TARGETS).map(([zoneId, value]) => ({
    scope: "zone" as const,
    zoneId,
    groupCode: "",
    indicatorKey: "trade_total",
    value,
  })),
  ...CF_ZONES.filter((z) => z.groups.includes("foreign_trade")).flatMap((z) =>
    Object.entries(QUOTAS).map(([indicatorKey, value]) => ({
      scope: "zone" as const,
      zoneId: z.id,
      groupCode: "",
      indicatorKey,
      value,
    })),
  ),
];

export const CF_SETTINGS = {
  assessment: {
    // Graded among the reported zones (so the fixture's grades are 暂定: 大龙 has not reported).
    gradeBasis: "reportedTotal",
    gradeBands: [
      { grade: "一档", minSharePct: "30" },
      { grade: "二档", minSharePct: "20" },
      { grade: "三档", minSharePct: "5" },
      { grade: "四档", minSharePct: "0" },
    ],
  },
};

export const CF_QUARTERS = [
  { quarter: 1, deadline: "2023-04-22", expectedProgressPct: "25" },
  { quarter: 2, deadline: "2023-07-15", expectedProgressPct: "50" },
  { quarter: 3, deadline: "2023-10-15", expectedProgressPct: "75" },
  { quarter: 4, deadline: "2024-01-15", expectedProgressPct: "100" },
];

/** The Q2 figures (values as stored: canonical decimal strings). 大龙 and 都匀 have no report. */
export const CF_Q2_VALUES: Record<string, Record<string, string>> = {
  [CF.zones.baiyun]: {
    trade_total: "200000",
    trade_yoy: "10",
    projects: "5",
    trips: "8",
    entities: "3",
    trainings: "2",
  },
  [CF.zones.qingzhen]: {
    trade_total: "100000",
    trade_yoy: "-5",
    projects: "10",
    trips: "2",
    entities: "0",
    trainings: "5",
  },
  [CF.zones.huishui]: {
    trade_total: "100000",
    trade_yoy: "20",
    projects: "4",
    trips: "6",
    entities: "1",
    trainings: "1",
  },
  [CF.zones.longli]: {
    trade_total: "20000",
    projects: "0",
    trips: "0",
    entities: "0",
    trainings: "0",
    notes: "无",
  },
  [CF.zones.songtao]: {
    trade_total: "30000",
    trade_yoy: "0",
    projects: "3",
    trips: "9",
    entities: "2",
    trainings: "5",
  },
  [CF.zones.guiyang]: { trade_total: "500000", trade_yoy: "8" },
};
/** 龙里 reported after the deadline. */
export const CF_Q2_LATE = new Set<string>([CF.zones.longli]);

/** The fixture as the Programme loadProgramme would return (for the pure tests). */
export function circularProgramme(overrides: { isSample?: boolean; settings?: unknown } = {}): Programme {
  return {
    year: CF.year,
    title: "2023年经开区培育（测试名单）",
    isSample: overrides.isSample ?? false,
    quarters: CF_QUARTERS.map((q) => ({
      quarter: q.quarter as Quarter,
      deadline: q.deadline,
      expectedProgressPct: Decimal.parse(q.expectedProgressPct),
    })),
    indicators: CF_INDICATORS.map((i, n) => ({
      ...i,
      aliases: [],
      cumulative: i.kind !== "percent",
      required: i.key === "trade_total",
      sortOrder: n,
    })),
    prefectures: CF_PREFECTURES,
    zones: CF_ZONES.map((z) => ({ ...z, aliases: [], groups: [...z.groups].sort() })),
    targets: CF_TARGETS.map((t) => ({
      scope: t.scope,
      ...(t.zoneId ? { zoneId: t.zoneId } : {}),
      ...(t.groupCode ? { groupCode: t.groupCode as GroupCode } : {}),
      indicatorKey: t.indicatorKey,
      value: Decimal.parse(t.value),
    })),
    settings: programmeSettingsSchema.parse(overrides.settings ?? CF_SETTINGS),
  };
}

/** The Q2 reports as listLatestConfirmed would return them (for the pure tests). */
export function circularReports(values = CF_Q2_VALUES, late = CF_Q2_LATE): ConfirmedReport[] {
  return Object.entries(values).map(([zoneId, v], i) => ({
    zoneId,
    revisionId: i + 1,
    revisionNo: 1,
    values: v,
    late: late.has(zoneId),
    contactId: CF.contacts.bureau,
    channel: "console",
    confirmedAt: new Date("2023-07-10T02:00:00Z"),
  }));
}

/** Writes the roster, targets, contacts and chat groups into a migrated, empty store. */
export async function seedCircularFixture(db: Db, opts: { isSample?: boolean } = {}): Promise<void> {
  await db.programmeYear.create({
    data: {
      year: CF.year,
      title: "2023年经开区培育（测试名单）",
      isSample: opts.isSample ?? false,
      settings: JSON.stringify(CF_SETTINGS),
      quarters: { create: CF_QUARTERS.map((q) => ({ ...q })) },
    },
  });
  for (const p of CF_PREFECTURES) await db.prefecture.create({ data: p });
  for (const z of CF_ZONES) {
    await db.zone.create({
      data: { id: z.id, name: z.name, shortName: z.shortName, prefectureCode: z.prefectureCode },
    });
    for (const g of z.groups)
      await db.zoneMembership.create({ data: { year: CF.year, zoneId: z.id, groupCode: g } });
  }
  for (const [n, i] of CF_INDICATORS.entries()) {
    await db.indicator.create({
      data: {
        year: CF.year,
        key: i.key,
        label: i.label,
        unit: i.unit,
        kind: i.kind,
        cumulative: i.kind !== "percent",
        required: i.key === "trade_total",
        groups: JSON.stringify(i.groups),
        sortOrder: n,
      },
    });
  }
  for (const t of CF_TARGETS) await db.target.create({ data: { year: CF.year, ...t } });
  await createContacts(db, [
    {
      id: CF.contacts.taskForce,
      name: "张专班",
      role: "task_force",
      identities: { wecom: CF.contacts.taskForceWecom },
    },
    {
      id: CF.contacts.taskForce2,
      name: "王专班",
      role: "task_force",
      identities: { wechat: "wxid_tf_wang" },
    },
    {
      id: CF.contacts.bureau,
      name: "李联络",
      role: "bureau_contact",
      prefectureCode: "5227",
      identities: { wecom: "qn_li" },
    },
  ]);
  await createChatGroups(db, [
    {
      id: "G-PROV",
      name: "全省经开区工作群",
      channel: "wecom_appchat",
      identities: { wecom_chat: "provchat01" },
      audience: "province",
    },
    {
      id: "G-TF",
      name: "省专班群",
      channel: "wecom_robot",
      identities: { wecom_robot_key_env: "WECOM_ROBOT_KEY_TF" },
      audience: "task_force",
    },
    {
      id: "G-5227",
      name: "黔南州经开区群",
      channel: "wechat_room",
      identities: { wechat_room_id: "room-qiannan@chatroom" },
      audience: "prefecture",
      prefectureCode: "5227",
    },
    {
      id: "G-5206",
      name: "铜仁市经开区群",
      channel: "wecom_robot",
      identities: { wecom_robot_key_env: "WECOM_ROBOT_KEY_TONGREN" },
      audience: "prefecture",
      prefectureCode: "5206",
    },
  ]);
}

/** Stores one confirmed (or other status) revision. */
export async function addRevision(
  db: Db,
  r: {
    zoneId: string;
    quarter?: number;
    revisionNo: number;
    values: Record<string, string>;
    late?: boolean;
    status?: string;
    confirmedAt?: Date;
  },
): Promise<void> {
  await db.reportRevision.create({
    data: {
      year: CF.year,
      quarter: r.quarter ?? 2,
      zoneId: r.zoneId,
      revisionNo: r.revisionNo,
      status: r.status ?? "confirmed",
      values: JSON.stringify(r.values),
      contactId: CF.contacts.bureau,
      channel: "console",
      rawText: "（测试）",
      late: r.late ?? false,
      confirmedAt: r.confirmedAt ?? new Date("2023-07-10T02:00:00Z"),
    },
  });
}

/** The Q2 scenario in the store: one revision per zone, plus 惠水's on-time first figure later corrected
 *  after the deadline (late correction: the corrected figure counts, 惠水 did not submit late) and a
 *  pending revision of 清镇 that must not count. */
export async function seedQ2Reports(db: Db): Promise<void> {
  for (const [zoneId, values] of Object.entries(CF_Q2_VALUES)) {
    if (zoneId === CF.zones.huishui) {
      await addRevision(db, { zoneId, revisionNo: 1, values: { ...values, trade_total: "90000" } });
      await addRevision(db, {
        zoneId,
        revisionNo: 2,
        values,
        late: true,
        confirmedAt: new Date("2023-07-18T02:00:00Z"),
      });
      continue;
    }
    await addRevision(db, { zoneId, revisionNo: 1, values, late: CF_Q2_LATE.has(zoneId) });
  }
  await addRevision(db, {
    zoneId: CF.zones.qingzhen,
    revisionNo: 2,
    values: { ...CF_Q2_VALUES[CF.zones.qingzhen], trade_total: "999999" },
    status: "pending",
  });
}
