import type { Db } from "../../src/db/database.js";
import { createContacts } from "./create-contacts.js";

/**
 * A small, self-contained 2023 roster for report/dialogue tests (independent of the sample seed):
 * 黔南 (5227) with 惠水 and 龙里, 铜仁 (5206) with 松桃, the four 2023 deadlines, the indicator set,
 * per-zone targets, bureau contacts, a bureau lead and two task-force members. The indicators carry the
 * short aliases of src/programme/standard-indicators.ts (项目, 赴外, 主体), so dialogue tests read the
 * vocabulary production reads.
 */
export const ROSTER = {
  year: 2023,
  zones: {
    huishui: "Z5227-HUISHUI",
    longli: "Z5227-LONGLI",
    songtao: "Z5206-SONGTAO",
  },
  contacts: {
    /** 黔南州商务局联络员 (WeCom userid qn_li, WeChat wxid_qnli). */
    qiannan: "C5227-01",
    qiannanWecom: "qn_li",
    qiannanLead: "C5227-LEAD",
    /** 铜仁市商务局联络员. */
    tongren: "C5206-01",
    taskForce: "TF-01",
    taskForceWecom: "tf_wang",
    taskForce2: "TF-02",
    inactive: "C5227-OLD",
  },
  /** Annual targets (万元 for money). */
  targets: { huishuiTrade: "150000", longliTrade: "80000", songtaoTrade: "60000" },
} as const;

const FT = ["foreign_trade"];

export const ROSTER_INDICATORS = [
  {
    key: "trade_total",
    label: "进出口额",
    aliases: ["进出口", "外贸进出口", "进出口总额", "进出口累计", "外贸进出口额"],
    unit: "万元",
    kind: "money",
    cumulative: true,
    required: true,
    groups: [],
  },
  {
    key: "export_value",
    label: "出口额",
    aliases: ["出口"],
    unit: "万元",
    kind: "money",
    cumulative: true,
    required: false,
    groups: [],
  },
  {
    key: "import_value",
    label: "进口额",
    aliases: ["进口"],
    unit: "万元",
    kind: "money",
    cumulative: true,
    required: false,
    groups: [],
  },
  {
    key: "trade_yoy",
    label: "进出口同比",
    aliases: ["同比", "同比增长", "同比增速"],
    unit: "%",
    kind: "percent",
    cumulative: false,
    required: false,
    groups: [],
  },
  {
    key: "projects",
    label: "包装招商项目",
    aliases: ["包装项目", "招商项目", "项目"],
    unit: "个",
    kind: "count",
    cumulative: true,
    required: true,
    groups: FT,
  },
  {
    key: "trips",
    label: "赴外招商",
    aliases: ["外出招商", "赴外招商次数", "赴外"],
    unit: "次",
    kind: "count",
    cumulative: true,
    required: true,
    groups: FT,
  },
  {
    key: "entities",
    label: "引进外贸市场主体",
    aliases: ["引进主体", "外贸市场主体", "引进外贸主体", "主体"],
    unit: "家",
    kind: "count",
    cumulative: true,
    required: true,
    groups: FT,
  },
  {
    key: "trainings",
    label: "人才培训",
    aliases: ["培训", "培训场次"],
    unit: "场",
    kind: "count",
    cumulative: true,
    required: true,
    groups: FT,
  },
  {
    key: "work_done",
    label: "主要工作",
    aliases: ["工作开展情况", "主要工作开展情况"],
    unit: "",
    kind: "text",
    cumulative: false,
    required: false,
    groups: [],
  },
  {
    key: "problems",
    label: "存在问题",
    aliases: ["问题", "困难问题"],
    unit: "",
    kind: "text",
    cumulative: false,
    required: false,
    groups: [],
  },
  {
    key: "next_steps",
    label: "下步打算",
    aliases: ["下一步打算", "下步工作"],
    unit: "",
    kind: "text",
    cumulative: false,
    required: false,
    groups: [],
  },
] as const;

/** Writes the roster into an empty, migrated store. Idempotent only on an empty store (tests use fresh ones). */
export async function seedRosterFixture(db: Db): Promise<typeof ROSTER> {
  const year = ROSTER.year;
  await db.prefecture.createMany({
    data: [
      { code: "5206", name: "铜仁市", shortName: "铜仁", sortOrder: 6 },
      { code: "5227", name: "黔南布依族苗族自治州", shortName: "黔南", sortOrder: 9 },
    ],
  });
  await db.zone.createMany({
    data: [
      {
        id: ROSTER.zones.huishui,
        name: "惠水经济开发区",
        shortName: "惠水",
        aliases: JSON.stringify(["惠水经开区", "贵州惠水经济开发区"]),
        prefectureCode: "5227",
      },
      {
        id: ROSTER.zones.longli,
        name: "龙里经济开发区",
        shortName: "龙里",
        aliases: JSON.stringify(["龙里经开区", "贵州龙里经济开发区"]),
        prefectureCode: "5227",
      },
      {
        id: ROSTER.zones.songtao,
        name: "松桃经济开发区",
        shortName: "松桃",
        aliases: JSON.stringify(["松桃经开区", "贵州松桃经济开发区"]),
        prefectureCode: "5206",
      },
    ],
  });
  await db.programmeYear.create({
    data: { year, title: "2023年经开区培育（测试名册）", isSample: true, settings: "{}" },
  });
  await db.programmeQuarter.createMany({
    data: [
      { year, quarter: 1, deadline: "2023-04-22", expectedProgressPct: "25" },
      { year, quarter: 2, deadline: "2023-07-15", expectedProgressPct: "50" },
      { year, quarter: 3, deadline: "2023-10-15", expectedProgressPct: "75" },
      { year, quarter: 4, deadline: "2024-01-15", expectedProgressPct: "100" },
    ],
  });
  await db.indicator.createMany({
    data: ROSTER_INDICATORS.map((i, n) => ({
      year,
      key: i.key,
      label: i.label,
      aliases: JSON.stringify(i.aliases),
      unit: i.unit,
      kind: i.kind,
      cumulative: i.cumulative,
      required: i.required,
      groups: JSON.stringify(i.groups),
      sortOrder: n + 1,
    })),
  });
  await db.zoneMembership.createMany({
    data: [
      { year, zoneId: ROSTER.zones.huishui, groupCode: "foreign_trade" },
      { year, zoneId: ROSTER.zones.longli, groupCode: "foreign_trade" },
      { year, zoneId: ROSTER.zones.longli, groupCode: "provincial" },
      { year, zoneId: ROSTER.zones.songtao, groupCode: "foreign_trade" },
    ],
  });
  const zoneTargets: [string, string][] = [
    [ROSTER.zones.huishui, ROSTER.targets.huishuiTrade],
    [ROSTER.zones.longli, ROSTER.targets.longliTrade],
    [ROSTER.zones.songtao, ROSTER.targets.songtaoTrade],
  ];
  const quotas: [string, string][] = [
    ["projects", "10"],
    ["trips", "15"],
    ["entities", "5"],
    ["trainings", "5"],
  ];
  await db.target.createMany({
    data: [
      ...zoneTargets.flatMap(([zoneId, trade]) => [
        { year, scope: "zone", zoneId, groupCode: "", indicatorKey: "trade_total", value: trade },
        ...quotas.map(([indicatorKey, value]) => ({
          year,
          scope: "zone",
          zoneId,
          groupCode: "",
          indicatorKey,
          value,
        })),
      ]),
    ],
  });
  await createContacts(db, [
    {
      id: ROSTER.contacts.qiannan,
      name: "李黔南",
      role: "bureau_contact",
      prefectureCode: "5227",
      identities: { wecom: ROSTER.contacts.qiannanWecom, wechat: "wxid_qnli" },
    },
    { id: ROSTER.contacts.qiannanLead, name: "王分管", role: "bureau_lead", prefectureCode: "5227" },
    {
      id: ROSTER.contacts.tongren,
      name: "张铜仁",
      role: "bureau_contact",
      prefectureCode: "5206",
      identities: { wecom: "tr_zhang" },
    },
    {
      id: ROSTER.contacts.taskForce,
      name: "王专班",
      role: "task_force",
      prefectureCode: null,
      identities: { wecom: ROSTER.contacts.taskForceWecom },
    },
    { id: ROSTER.contacts.taskForce2, name: "赵专班", role: "task_force", prefectureCode: null },
    {
      id: ROSTER.contacts.inactive,
      name: "前联络员",
      role: "bureau_contact",
      prefectureCode: "5227",
      active: false,
    },
  ]);
  return ROSTER;
}
