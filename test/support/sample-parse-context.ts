// A ParseContext for parser tests: the sample 2023 roster (nine prefectures' provincial zones from
// /work/shared/reference/domain.md) and the 2023 indicators. A SAMPLE, not the official lists: only 惠水, 松桃,
// 三穗 and 龙里 are certainly foreign-trade-upgrade zones in 2023; the other foreign_trade flags are made up.
// Zone ids follow the scheme Z<prefecture code>-<UPPER PINYIN>, e.g. Z5227-HUISHUI.
import type { GroupCode } from "../../src/domain/codes.js";
import type { Period } from "../../src/domain/period.js";
import type { ParseContext } from "../../src/parsing/parsed-report.js";
import type { IndicatorDef, ZoneDef } from "../../src/programme/programme.js";

type ZoneRow = [
  code: string,
  pinyin: string,
  core: string,
  opts?: { name?: string; aliases?: string[]; trade?: boolean },
];

const ZONE_ROWS: ZoneRow[] = [
  ["5201", "GUIYANG", "贵阳", { name: "贵阳经济技术开发区", aliases: ["贵阳经开区", "小河经开区"] }],
  ["5201", "BAIYUN", "白云", { trade: true }],
  ["5201", "XIUWEN", "修文"],
  ["5201", "QINGZHEN", "清镇", { trade: true }],
  ["5201", "KAIYANG", "开阳"],
  ["5201", "XIFENG", "息烽"],
  ["5201", "WUDANG", "乌当"],
  ["5202", "ZHONGSHAN", "钟山", { trade: true }],
  ["5202", "HONGGUO", "红果"],
  ["5202", "SHUICHENG", "水城"],
  ["5203", "ZUNYI", "遵义", { name: "遵义经济技术开发区", aliases: ["遵义经开区"] }],
  ["5203", "LOUSHANGUAN", "娄山关"],
  ["5203", "MEITAN", "湄潭", { trade: true }],
  ["5203", "RENHUAI", "仁怀", { trade: true }],
  ["5203", "HEPING", "和平"],
  ["5203", "SUIYANG", "绥阳"],
  ["5203", "XISHUI", "习水"],
  ["5203", "ZHENGAN", "正安", { trade: true }],
  ["5203", "YUQING", "余庆"],
  ["5204", "ANSHUN", "安顺"],
  ["5204", "XIXIU", "西秀", { trade: true }],
  ["5204", "PUDING", "普定"],
  ["5205", "BIJIE", "毕节", { trade: true }],
  ["5205", "ZHIJIN", "织金"],
  ["5205", "WEINING", "威宁"],
  ["5205", "DAFANG", "大方"],
  ["5205", "QIANXI", "黔西", { trade: true }],
  ["5205", "JINSHA", "金沙"],
  ["5205", "NAYONG", "纳雍"],
  ["5206", "DALONG", "大龙", { trade: true }],
  ["5206", "BIJIANG", "碧江", { trade: true }],
  ["5206", "YINJIANG", "印江"],
  ["5206", "WANSHAN", "万山"],
  ["5206", "SINAN", "思南"],
  ["5206", "DEJIANG", "德江"],
  ["5206", "YANHE", "沿河"],
  ["5206", "SONGTAO", "松桃", { trade: true, aliases: ["松桃经开区", "松桃苗族自治县经开区"] }],
  [
    "5223",
    "DINGXIAO",
    "顶效",
    { name: "黔西南高新技术产业开发区", aliases: ["黔西南高新区", "顶效经开区"], trade: true },
  ],
  ["5223", "XINGREN", "兴仁", { trade: true }],
  ["5223", "ANLONG", "安龙"],
  ["5226", "KAILI", "凯里", { trade: true }],
  ["5226", "LUBI", "炉碧"],
  ["5226", "DANZHAIJINZHONG", "丹寨金钟", { aliases: ["丹寨金钟经开区", "金钟经开区"] }],
  ["5226", "LUOGUAN", "洛贯"],
  ["5226", "QIANDONG", "黔东"],
  ["5226", "TAIJIANG", "台江"],
  ["5226", "SANSUI", "三穗", { trade: true }],
  ["5226", "CENGONG", "岑巩"],
  ["5226", "JINPING", "锦屏"],
  ["5226", "LIPING", "黎平", { trade: true }],
  ["5227", "DUYUN", "都匀", { trade: true }],
  ["5227", "LONGLI", "龙里", { trade: true }],
  ["5227", "FUQUAN", "福泉", { trade: true }],
  ["5227", "CHANGMING", "昌明"],
  ["5227", "DUSHAN", "独山"],
  ["5227", "WENGAN", "瓮安"],
  ["5227", "HUISHUI", "惠水", { trade: true }],
];

export const SAMPLE_ZONES: ZoneDef[] = ZONE_ROWS.map(([code, pinyin, core, opts = {}]) => {
  const groups: GroupCode[] = ["provincial"];
  if (opts.trade) groups.push("foreign_trade");
  return {
    id: `Z${code}-${pinyin}`,
    name: opts.name ?? `${core}经济开发区`,
    shortName: core,
    aliases: opts.aliases ?? [`${core}经开区`],
    prefectureCode: code,
    groups,
  };
});

const TRADE: GroupCode[] = ["foreign_trade"];

type IndicatorRow = Omit<IndicatorDef, "sortOrder" | "groups" | "cumulative"> & {
  groups?: GroupCode[];
  cumulative?: boolean;
};

const INDICATOR_ROWS: IndicatorRow[] = [
  {
    key: "trade_total",
    label: "进出口额",
    aliases: ["进出口", "外贸进出口", "进出口总额"],
    unit: "万元",
    kind: "money",
    required: true,
  },
  { key: "export_value", label: "出口额", aliases: ["出口"], unit: "万元", kind: "money", required: false },
  { key: "import_value", label: "进口额", aliases: ["进口"], unit: "万元", kind: "money", required: false },
  {
    key: "trade_yoy",
    label: "进出口同比",
    aliases: ["进出口增速", "进出口同比增长"],
    unit: "%",
    kind: "percent",
    required: false,
    cumulative: false,
  },
  {
    key: "projects",
    label: "包装招商项目",
    aliases: ["包装项目", "招商项目", "项目"],
    unit: "个",
    kind: "count",
    required: true,
  },
  {
    key: "trips",
    label: "赴外招商",
    aliases: ["外出招商", "赴外"],
    unit: "次",
    kind: "count",
    required: true,
  },
  {
    key: "entities",
    label: "引进外贸市场主体",
    aliases: ["引进主体", "外贸市场主体", "外贸主体", "引进外贸主体", "主体"],
    unit: "家",
    kind: "count",
    required: true,
  },
  { key: "trainings", label: "人才培训", aliases: ["培训"], unit: "场", kind: "count", required: true },
  {
    key: "work_done",
    label: "主要工作",
    aliases: ["主要工作开展情况", "工作开展情况"],
    unit: "",
    kind: "text",
    required: false,
    groups: [],
    cumulative: false,
  },
  {
    key: "problems",
    label: "存在问题",
    aliases: ["存在的问题", "困难和问题"],
    unit: "",
    kind: "text",
    required: false,
    groups: [],
    cumulative: false,
  },
  {
    key: "next_steps",
    label: "下步打算",
    aliases: ["下一步打算", "下步工作", "下一步工作"],
    unit: "",
    kind: "text",
    required: false,
    groups: [],
    cumulative: false,
  },
];

export const SAMPLE_INDICATORS: IndicatorDef[] = INDICATOR_ROWS.map((row, i) => ({
  ...row,
  groups: row.groups ?? TRADE,
  cumulative: row.cumulative ?? true,
  sortOrder: (i + 1) * 10,
}));

export function sampleZone(id: string): ZoneDef {
  const z = SAMPLE_ZONES.find((x) => x.id === id);
  if (!z) throw new Error(`no sample zone ${id}`);
  return z;
}

/** A fresh context (new object → its own vocabulary cache). */
export function sampleParseContext(
  opts: { openPeriod?: Period | null; year?: number; defaultZoneId?: string; prefectureCode?: string } = {},
): ParseContext {
  const ctx: ParseContext = {
    zones: SAMPLE_ZONES,
    indicators: SAMPLE_INDICATORS,
    year: opts.year ?? 2023,
  };
  if (opts.openPeriod !== null) ctx.openPeriod = opts.openPeriod ?? { year: 2023, quarter: 1 };
  if (opts.defaultZoneId) ctx.defaultZoneId = opts.defaultZoneId;
  if (opts.prefectureCode) ctx.prefectureCode = opts.prefectureCode;
  return ctx;
}
