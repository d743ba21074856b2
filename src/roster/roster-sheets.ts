/**
 * The roster workbook: sheet names, columns (Chinese headers), and the explanations written to the
 * 说明 sheet of the template. A header matches when the text before any bracket matches, so
 * "企业微信账号(UserID)" and "企业微信账号" are the same column.
 */
export interface ColumnDef {
  /** Field name used by the parser. */
  key: string;
  header: string;
  required: boolean;
  help: string;
  example: string;
  /**
   * An account column of 联系人 (an address column of 群聊): the identity channel
   * (ContactIdentity.channel / ChatGroupIdentity.channel, named by the transports) its value is
   * stored under. One column per channel; an empty cell = no identity.
   */
  identity?: string;
}

export interface SheetDef {
  name: SheetName;
  help: string;
  columns: ColumnDef[];
}

export const SHEET_NAMES = ["年度", "指标", "市州", "经开区", "培育名单", "目标", "联系人", "群聊"] as const;
export type SheetName = (typeof SHEET_NAMES)[number];
export const HELP_SHEET = "说明";

const col = (key: string, header: string, required: boolean, help: string, example: string): ColumnDef => ({
  key,
  header,
  required,
  help,
  example,
});

export const SHEETS: Record<SheetName, SheetDef> = {
  年度: {
    name: "年度",
    help: "年度方案：只填一行。截止日期为当地日期；四季度截止通常在次年1月。",
    columns: [
      col("year", "年度", true, "四位年份", "2023"),
      col("title", "标题", true, "方案名称", "2023年经开区培育工作"),
      col("isSample", "样例", false, "是/否；样例数据在各处标明“样例”，默认 否", "否"),
      col("q1Deadline", "一季度截止", true, "日期 YYYY-MM-DD", "2023-04-22"),
      col("q2Deadline", "二季度截止", true, "日期 YYYY-MM-DD", "2023-07-15"),
      col("q3Deadline", "三季度截止", true, "日期 YYYY-MM-DD", "2023-10-15"),
      col("q4Deadline", "四季度截止", true, "日期 YYYY-MM-DD（次年）", "2024-01-15"),
      col("q1Progress", "一季度进度%", true, "预期时间进度，0–100", "25"),
      col("q2Progress", "二季度进度%", true, "预期时间进度，0–100", "50"),
      col("q3Progress", "三季度进度%", true, "预期时间进度，0–100", "75"),
      col("q4Progress", "四季度进度%", true, "预期时间进度，0–100", "100"),
      col("settings", "设置(JSON)", false, "提醒与评估设置，JSON；留空 = 默认值", "{}"),
    ],
  },
  指标: {
    name: "指标",
    help: "本年度报送的指标。金额以万元为准，百分比单位 %，文本指标无单位。",
    columns: [
      col("key", "指标代码", true, "英文小写代码，程序内部使用，定后不改", "trade_total"),
      col("label", "名称", true, "中文名称", "进出口额"),
      col("aliases", "别名", false, "联络员可能使用的其他叫法，用“、”分隔", "进出口、外贸进出口"),
      col("unit", "单位", false, "金额填 万元；数量填 个/次/家/场；百分比填 %；文本留空", "万元"),
      col("kind", "类型", true, "金额/数量/百分比/文本", "金额"),
      col("cumulative", "累计", true, "是/否：是否为1月1日起的累计值", "是"),
      col("required", "必报", true, "是/否", "是"),
      col(
        "groups",
        "适用名单",
        false,
        "国家级培育/外贸升级/省级培育，用“、”分隔；留空 = 全部名单",
        "外贸升级",
      ),
      col("sortOrder", "排序", false, "整数，小的在前；留空按行顺序", "10"),
    ],
  },
  市州: {
    name: "市州",
    help: "市（州）。已有的市州不会因未列出而删除。",
    columns: [
      col("code", "代码", true, "行政区划代码（4位）", "5227"),
      col("name", "名称", true, "全称", "黔南布依族苗族自治州"),
      col("shortName", "简称", true, "简称", "黔南"),
      col("sortOrder", "排序", false, "整数，小的在前", "9"),
    ],
  },
  经开区: {
    name: "经开区",
    help: "经开区总表（跨年度）。表中未列出的经开区保持不变（导入时加 --replace 才停用，不删除）；停用的经开区保留名单和目标，但不参与提醒和通报。",
    columns: [
      col("id", "编号", true, "固定编号，定后不改（改名时编号不变）", "Z5227-HUISHUI"),
      col("name", "名称", true, "正式名称", "贵州惠水经济开发区"),
      col("shortName", "简称", true, "简称，全省唯一", "惠水"),
      col("aliases", "别名", false, "其他叫法，用“、”分隔", "惠水经开区、惠水开发区"),
      col("prefecture", "市州", true, "市州简称、全称或代码", "黔南"),
      col("active", "启用", false, "是/否，默认 是", "是"),
    ],
  },
  培育名单: {
    name: "培育名单",
    help: "本年度各名单的经开区，一行一个经开区一个名单。表中未列出的即不在名单中。",
    columns: [
      col("zoneId", "经开区编号", false, "经开区编号；与“经开区”至少填一个", "Z5227-HUISHUI"),
      col("zone", "经开区", false, "经开区简称、名称或别名", "惠水"),
      col("group", "名单", true, "国家级培育/外贸升级/省级培育", "外贸升级"),
    ],
  },
  目标: {
    name: "目标",
    help: "本年度目标。经开区目标填“经开区编号/经开区”；名单合计目标不填经开区，填“名单”。金额可用万元或亿元。",
    columns: [
      col("zoneId", "经开区编号", false, "经开区目标：经开区编号（或填“经开区”）", "Z5227-HUISHUI"),
      col("zone", "经开区", false, "经开区简称、名称或别名", "惠水"),
      col("group", "名单", false, "名单合计目标：名单名称；经开区目标留空", ""),
      col("indicator", "指标", true, "指标代码、名称或别名", "进出口额"),
      col("value", "目标值", true, "非负数字；数量须为整数", "50000"),
      col("unit", "单位", false, "金额：万元 或 亿元（默认万元）；其他可留空", "万元"),
    ],
  },
  联系人: {
    name: "联系人",
    help: "联系人总表。至少填一个渠道账号（企业微信账号、微信ID、微信号）。表中未列出的联系人保持不变（导入时加 --replace 才停用；也可在“启用”列填 否）；至少保留一名启用的省专班成员。",
    columns: [
      col("id", "编号", true, "固定编号，唯一", "C5227-01"),
      col("name", "姓名", true, "姓名", "王某某"),
      col("role", "角色", true, "联络员/分管领导/省专班", "联络员"),
      col("prefecture", "市州", false, "联络员、分管领导必填；省专班留空", "黔南"),
      // account columns: the sheet's layout is what bureaus fill in; each maps to an identity channel
      {
        ...col("wecomUserId", "企业微信账号(UserID)", false, "企业微信通讯录中的账号", "qn_wang"),
        identity: "wecom",
      },
      { ...col("wechatId", "微信ID(wxid)", false, "个人微信内部ID", "wxid_abc123"), identity: "wechat" },
      { ...col("wechatAlias", "微信号", false, "个人微信号", "qnwang2023"), identity: "wechat_alias" },
      col("phone", "手机", false, "仅供专班联系，可留空", "13800000000"),
      col("active", "启用", false, "是/否，默认 是", "是"),
    ],
  },
  群聊: {
    name: "群聊",
    help: "推送用群聊。群机器人只填环境变量名（如 WECOM_ROBOT_KEY_QIANNAN），密钥本身放在服务器环境变量中，不进表格。",
    columns: [
      col("id", "编号", true, "固定编号，唯一", "G5227"),
      col("name", "名称", true, "群名称", "黔南经开区培育工作群"),
      col("channel", "渠道", true, "企业微信应用群/企业微信群机器人/微信群", "企业微信应用群"),
      // address columns: each maps to a group identity channel (ChatGroupIdentity, named by the transports)
      {
        ...col("wecomChatId", "企业微信群ID(chatid)", false, "应用群必填", "wrXXXXXXXX"),
        identity: "wecom_chat",
      },
      {
        ...col(
          "webhookKeyEnv",
          "机器人密钥变量",
          false,
          "群机器人必填：环境变量名",
          "WECOM_ROBOT_KEY_QIANNAN",
        ),
        identity: "wecom_robot_key_env",
      },
      {
        ...col("wechatRoomId", "微信群ID", false, "微信群：群ID 或 群名称 至少填一个", "12345@chatroom"),
        identity: "wechat_room_id",
      },
      {
        ...col("wechatTopic", "微信群名称", false, "微信群名称", "黔南经开区培育群"),
        identity: "wechat_topic",
      },
      col("audience", "对象", true, "市州/省专班/全省", "市州"),
      col("prefecture", "市州", false, "对象为市州时必填", "黔南"),
      col("copyReminders", "抄送提醒", false, "是/否：提醒是否同时发到本群，默认 否", "否"),
      col("active", "启用", false, "是/否，默认 是", "是"),
    ],
  },
};

/** Header text compared without brackets, spaces or case: "企业微信账号(UserID)" → "企业微信账号". */
export function headerKey(text: string): string {
  return text
    .replace(/[（(【[].*$/u, "")
    .replace(/\s+/g, "")
    .toLowerCase();
}

/** Column letter of a 1-based index: 1 → A, 27 → AA. */
export function columnLetter(index: number): string {
  let n = index;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** The account columns of 联系人 (or the address columns of 群聊), each with its identity channel, in sheet order. */
export function identityColumns(
  sheet: "联系人" | "群聊" = "联系人",
): Array<ColumnDef & { identity: string }> {
  return SHEETS[sheet].columns.filter((c): c is ColumnDef & { identity: string } => c.identity !== undefined);
}
