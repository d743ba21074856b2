import type { GroupCode } from "../domain/codes.js";
import type {
  ChatGroupRow,
  ContactRow,
  MembershipRow,
  PrefectureRow,
  ProgrammeData,
  TargetRow,
  ZoneRow,
} from "./programme-data.js";
import { STANDARD_INDICATORS } from "./standard-indicators.js";

/**
 * The SAMPLE 2023 programme (`kaiqu seed --sample`). Facts from the 2023 notice: deadlines, the four
 * work quotas, the 130 亿元 aggregate, the four zones that joined (惠水, 松桃, 三穗, 龙里) and left
 * (凤冈, 安顺, 炉碧, 万山) the foreign-trade list. Everything else — the other 16 foreign-trade zones,
 * the cultivation lists, per-zone targets, contacts and groups — is invented: the official
 * attachments are not public. Real lists arrive through `kaiqu roster import`.
 *
 * Zone ids: "Z" + prefecture code + "-" + pinyin of the name in the 2018 list, e.g. Z5227-HUISHUI.
 * An id never changes when a zone is renamed (顶效 → 黔西南高新区 keeps Z5223-DINGXIAO).
 */
export const SAMPLE_YEAR = 2023;

export const SAMPLE_PREFECTURES: PrefectureRow[] = [
  { code: "5201", name: "贵阳市", shortName: "贵阳", sortOrder: 1 },
  { code: "5202", name: "六盘水市", shortName: "六盘水", sortOrder: 2 },
  { code: "5203", name: "遵义市", shortName: "遵义", sortOrder: 3 },
  { code: "5204", name: "安顺市", shortName: "安顺", sortOrder: 4 },
  { code: "5205", name: "毕节市", shortName: "毕节", sortOrder: 5 },
  { code: "5206", name: "铜仁市", shortName: "铜仁", sortOrder: 6 },
  { code: "5223", name: "黔西南布依族苗族自治州", shortName: "黔西南", sortOrder: 7 },
  { code: "5226", name: "黔东南苗族侗族自治州", shortName: "黔东南", sortOrder: 8 },
  { code: "5227", name: "黔南布依族苗族自治州", shortName: "黔南", sortOrder: 9 },
];

/** Pinyin stems used in contact userids, robot env names and chat ids, by prefecture code. */
const PREFECTURE_TAGS: Record<string, { abbr: string; env: string }> = {
  "5201": { abbr: "gy", env: "GUIYANG" },
  "5202": { abbr: "lps", env: "LIUPANSHUI" },
  "5203": { abbr: "zy", env: "ZUNYI" },
  "5204": { abbr: "as", env: "ANSHUN" },
  "5205": { abbr: "bj", env: "BIJIE" },
  "5206": { abbr: "tr", env: "TONGREN" },
  "5223": { abbr: "qxn", env: "QIANXINAN" },
  "5226": { abbr: "qdn", env: "QIANDONGNAN" },
  "5227": { abbr: "qn", env: "QIANNAN" },
};

/** [prefecture code, pinyin, short name] of the provincial zones in the 2018 list. */
const PROVINCIAL_ZONES: [string, string, string][] = [
  ["5201", "BAIYUN", "白云"],
  ["5201", "XIUWEN", "修文"],
  ["5201", "QINGZHEN", "清镇"],
  ["5201", "KAIYANG", "开阳"],
  ["5201", "XIFENG", "息烽"],
  ["5201", "WUDANG", "乌当"],
  ["5202", "ZHONGSHAN", "钟山"],
  ["5202", "HONGGUO", "红果"],
  ["5202", "SHUICHENG", "水城"],
  ["5203", "LOUSHANGUAN", "娄山关"],
  ["5203", "MEITAN", "湄潭"],
  ["5203", "RENHUAI", "仁怀"],
  ["5203", "HEPING", "和平"],
  ["5203", "SUIYANG", "绥阳"],
  ["5203", "XISHUI", "习水"],
  ["5203", "ZHENGAN", "正安"],
  ["5203", "YUQING", "余庆"],
  ["5204", "XIXIU", "西秀"],
  ["5204", "PUDING", "普定"],
  ["5205", "BIJIE", "毕节"],
  ["5205", "ZHIJIN", "织金"],
  ["5205", "WEINING", "威宁"],
  ["5205", "DAFANG", "大方"],
  ["5205", "QIANXI", "黔西"],
  ["5205", "JINSHA", "金沙"],
  ["5205", "NAYONG", "纳雍"],
  ["5206", "DALONG", "大龙"],
  ["5206", "BIJIANG", "碧江"],
  ["5206", "YINJIANG", "印江"],
  ["5206", "WANSHAN", "万山"],
  ["5206", "SINAN", "思南"],
  ["5206", "DEJIANG", "德江"],
  ["5206", "YANHE", "沿河"],
  ["5206", "SONGTAO", "松桃"],
  ["5223", "XINGREN", "兴仁"],
  ["5223", "ANLONG", "安龙"],
  ["5226", "KAILI", "凯里"],
  ["5226", "LUBI", "炉碧"],
  ["5226", "LUOGUAN", "洛贯"],
  ["5226", "QIANDONG", "黔东"],
  ["5226", "TAIJIANG", "台江"],
  ["5226", "SANSUI", "三穗"],
  ["5226", "CENGONG", "岑巩"],
  ["5226", "JINPING", "锦屏"],
  ["5226", "LIPING", "黎平"],
  ["5227", "DUYUN", "都匀"],
  ["5227", "LONGLI", "龙里"],
  ["5227", "FUQUAN", "福泉"],
  ["5227", "CHANGMING", "昌明"],
  ["5227", "DUSHAN", "独山"],
  ["5227", "WENGAN", "瓮安"],
  ["5227", "HUISHUI", "惠水"],
];

const provincialZone = ([code, pinyin, short]: [string, string, string]): ZoneRow => ({
  id: `Z${code}-${pinyin}`,
  name: `贵州${short}经济开发区`,
  shortName: short,
  aliases: [`${short}经开区`, `${short}开发区`],
  prefectureCode: code,
  active: true,
});

export const SAMPLE_ZONES: ZoneRow[] = [
  {
    id: "Z5201-GUIYANG",
    name: "贵阳经济技术开发区",
    shortName: "贵阳经开区",
    aliases: ["贵阳国家级经开区", "小河经开区"],
    prefectureCode: "5201",
    active: true,
  },
  {
    id: "Z5203-ZUNYI",
    name: "遵义经济技术开发区",
    shortName: "遵义经开区",
    aliases: ["遵义国家级经开区"],
    prefectureCode: "5203",
    active: true,
  },
  {
    id: "Z5204-ANSHUN",
    name: "贵州安顺经济开发区",
    shortName: "安顺",
    aliases: ["安顺经开区", "安顺开发区"],
    prefectureCode: "5204",
    active: true,
  },
  {
    id: "Z5223-DINGXIAO",
    name: "黔西南高新技术产业开发区",
    shortName: "黔西南高新区",
    aliases: ["顶效", "顶效经开区", "顶效开发区", "贵州顶效经济开发区", "黔西南高新"],
    prefectureCode: "5223",
    active: true,
  },
  {
    id: "Z5226-DANZHAI",
    name: "贵州丹寨金钟经济开发区",
    shortName: "丹寨金钟",
    aliases: ["丹寨", "金钟", "丹寨金钟经开区"],
    prefectureCode: "5226",
    active: true,
  },
  ...PROVINCIAL_ZONES.map(provincialZone),
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/** Sample per-zone 进出口 targets (万元) of the 20 foreign-trade zones; they add up to 1 300 000 (130 亿元). */
export const SAMPLE_TRADE_TARGETS: Record<string, string> = {
  "Z5201-BAIYUN": "120000",
  "Z5201-QINGZHEN": "100000",
  "Z5201-XIUWEN": "60000",
  "Z5202-ZHONGSHAN": "50000",
  "Z5202-HONGGUO": "40000",
  "Z5203-LOUSHANGUAN": "90000",
  "Z5203-RENHUAI": "150000",
  "Z5204-XIXIU": "45000",
  "Z5205-BIJIE": "55000",
  "Z5205-JINSHA": "30000",
  "Z5206-DALONG": "110000",
  "Z5206-BIJIANG": "60000",
  "Z5206-SONGTAO": "25000",
  "Z5223-DINGXIAO": "80000",
  "Z5223-XINGREN": "40000",
  "Z5226-KAILI": "70000",
  "Z5226-SANSUI": "20000",
  "Z5227-DUYUN": "65000",
  "Z5227-HUISHUI": "50000",
  "Z5227-LONGLI": "40000",
};

/** The group aggregate: the 20 foreign-trade zones together, 130 亿元 = 1 300 000 万元. */
export const SAMPLE_FOREIGN_TRADE_TOTAL = "1300000";

/** The four yearly work quotas of every foreign-trade zone. */
export const WORK_QUOTAS: Record<string, string> = {
  projects: "10",
  trips: "15",
  entities: "5",
  trainings: "5",
};

const SAMPLE_NATIONAL = [
  "Z5201-QINGZHEN",
  "Z5201-BAIYUN",
  "Z5206-DALONG",
  "Z5226-KAILI",
  "Z5227-DUYUN",
  "Z5202-ZHONGSHAN",
];
const SAMPLE_PROVINCIAL = ["Z5201-XIFENG", "Z5203-ZHENGAN", "Z5205-NAYONG", "Z5206-YANHE", "Z5226-TAIJIANG"];

const membership = (groupCode: GroupCode) => (zoneId: string) => ({ zoneId, groupCode });

export const SAMPLE_MEMBERSHIPS: MembershipRow[] = [
  ...SAMPLE_NATIONAL.map(membership("national")),
  ...Object.keys(SAMPLE_TRADE_TARGETS).map(membership("foreign_trade")),
  ...SAMPLE_PROVINCIAL.map(membership("provincial")),
];

const SAMPLE_TARGETS: TargetRow[] = [
  ...Object.entries(SAMPLE_TRADE_TARGETS).flatMap(([zoneId, trade]): TargetRow[] => [
    { scope: "zone", zoneId, groupCode: "", indicatorKey: "trade_total", value: trade },
    ...Object.entries(WORK_QUOTAS).map(
      ([indicatorKey, value]): TargetRow => ({ scope: "zone", zoneId, groupCode: "", indicatorKey, value }),
    ),
  ]),
  {
    scope: "group",
    zoneId: "",
    groupCode: "foreign_trade",
    indicatorKey: "trade_total",
    value: SAMPLE_FOREIGN_TRADE_TOTAL,
  },
];

/** Prefectures whose sample contact also has a personal-WeChat id (to exercise the WeChat transport). */
const WITH_WECHAT = new Set(["5201", "5206", "5227"]);

const SAMPLE_CONTACTS: ContactRow[] = [
  ...SAMPLE_PREFECTURES.flatMap((p): ContactRow[] => {
    const tag = PREFECTURE_TAGS[p.code]!;
    const wechat = WITH_WECHAT.has(p.code);
    return [
      {
        id: `C${p.code}-01`,
        name: `样例联络员-${p.shortName}`,
        role: "bureau_contact",
        prefectureCode: p.code,
        identities: {
          wecom: `${tag.abbr}_contact`,
          ...(wechat
            ? { wechat: `wxid_sample_${tag.abbr}_contact`, wechat_alias: `sample-${tag.abbr}-contact` }
            : {}),
        },
        phone: null,
        active: true,
      },
      {
        id: `C${p.code}-LEAD`,
        name: `样例分管领导-${p.shortName}`,
        role: "bureau_lead",
        prefectureCode: p.code,
        identities: { wecom: `${tag.abbr}_lead` },
        phone: null,
        active: true,
      },
    ];
  }),
  {
    id: "TF-01",
    name: "样例专班-张",
    role: "task_force",
    prefectureCode: null,
    identities: { wecom: "tf_zhang", wechat: "wxid_sample_tf_zhang" },
    phone: null,
    active: true,
  },
  {
    id: "TF-02",
    name: "样例专班-李",
    role: "task_force",
    prefectureCode: null,
    identities: { wecom: "tf_li" },
    phone: null,
    active: true,
  },
];

const SAMPLE_CHAT_GROUPS: ChatGroupRow[] = [
  ...SAMPLE_PREFECTURES.map((p, i): ChatGroupRow => {
    const tag = PREFECTURE_TAGS[p.code]!;
    const robot = i % 2 === 1;
    return {
      id: `G${p.code}`,
      name: `${p.shortName}经开区培育工作群（样例）`,
      channel: robot ? "wecom_robot" : "wecom_appchat",
      identities: robot
        ? { wecom_robot_key_env: `WECOM_ROBOT_KEY_${tag.env}` }
        : { wecom_chat: `wr_sample_${tag.abbr}` },
      audience: "prefecture",
      prefectureCode: p.code,
      copyReminders: true,
      active: true,
    };
  }),
  {
    id: "G-TASKFORCE",
    name: "省经开区培育专班工作群（样例）",
    channel: "wecom_appchat",
    identities: { wecom_chat: "wr_sample_taskforce" },
    audience: "task_force",
    prefectureCode: null,
    copyReminders: false,
    active: true,
  },
  {
    id: "G-PROVINCE",
    name: "全省经开区培育工作群（样例）",
    channel: "wecom_robot",
    identities: { wecom_robot_key_env: "WECOM_ROBOT_KEY_PROVINCE" },
    audience: "province",
    prefectureCode: null,
    copyReminders: false,
    active: true,
  },
];

export const SAMPLE_PROGRAMME: ProgrammeData = {
  year: SAMPLE_YEAR,
  programme: {
    year: SAMPLE_YEAR,
    title: "2023年经开区培育工作（样例 sample，非官方名单）",
    isSample: true,
    settings: "{}",
    quarters: [
      { quarter: 1, deadline: "2023-04-22", expectedProgressPct: "25" },
      { quarter: 2, deadline: "2023-07-15", expectedProgressPct: "50" },
      { quarter: 3, deadline: "2023-10-15", expectedProgressPct: "75" },
      { quarter: 4, deadline: "2024-01-15", expectedProgressPct: "100" },
    ],
  },
  prefectures: SAMPLE_PREFECTURES,
  indicators: STANDARD_INDICATORS,
  zones: SAMPLE_ZONES,
  memberships: SAMPLE_MEMBERSHIPS,
  targets: SAMPLE_TARGETS,
  contacts: SAMPLE_CONTACTS,
  chatGroups: SAMPLE_CHAT_GROUPS,
};
