import type { AppContext } from "../../src/app-context.js";
import type { Db, Store } from "../../src/db/database.js";
import type { OutboxChannel } from "../../src/domain/codes.js";
import type { Logger } from "../../src/log/logger.js";
import { createLogger } from "../../src/log/logger.js";
import { OutboxDispatcher, type PreSendCheck } from "../../src/outbox/dispatcher.js";
import type { OutboxRow } from "../../src/outbox/outbox.js";
import type { SendOutcome } from "../../src/outbox/outbox-message.js";
import type { Clock } from "../../src/time/clock.js";
import { createChatGroups, createContacts } from "./create-contacts.js";
import { testApp } from "./report-app.js";

/**
 * A small roster for reminder tests: 黔南 (惠水, 龙里), 铜仁 (松桃; 万山 not cultivated), 黔东南 (三穗),
 * foreign-trade memberships for 2023 and 2024, bureau contacts and leads, two task-force members,
 * a 黔南 group robot that takes copies of reminders, and programme years 2023 and 2024 with the
 * notice's deadlines (22 Apr, 15 Jul, 15 Oct, 15 Jan of the next year).
 */
export const RF = {
  zones: {
    huishui: "Z5227-HS",
    longli: "Z5227-LL",
    songtao: "Z5206-ST",
    wanshan: "Z5206-WS",
    sansui: "Z5226-SS",
  },
  contacts: {
    qiannan: "QN-01",
    qiannanLead: "QN-LEAD",
    tongren: "TR-01",
    tongrenLead: "TR-LEAD",
    qdn: "QDN-01",
    qdnOld: "QDN-02",
    qdnLead: "QDN-LEAD",
    taskForce: "TF-01",
    taskForce2: "TF-02",
  },
  groups: { qiannan: "G-QN", tongren: "G-TR", taskForce: "G-TF" },
  robotKeyEnv: "WECOM_ROBOT_KEY_QN",
  deadlines: {
    2023: ["2023-04-22", "2023-07-15", "2023-10-15", "2024-01-15"],
    2024: ["2024-04-22", "2024-07-15", "2024-10-15", "2025-01-15"],
  } as Record<number, string[]>,
} as const;

/** Adds a programme year (deadlines per quarter, two indicators, the cultivated zones). */
export async function addProgrammeYear(
  db: Db,
  year: number,
  deadlines: string[],
  opts: { settings?: unknown; zoneIds?: string[] } = {},
): Promise<void> {
  await db.programmeYear.create({
    data: { year, title: `${year}年经开区培育（提醒测试）`, settings: JSON.stringify(opts.settings ?? {}) },
  });
  await db.programmeQuarter.createMany({
    data: deadlines.map((deadline, i) => ({
      year,
      quarter: i + 1,
      deadline,
      expectedProgressPct: String((i + 1) * 25),
    })),
  });
  await db.indicator.createMany({
    data: [
      {
        year,
        key: "trade_total",
        label: "进出口额",
        aliases: JSON.stringify(["进出口"]),
        unit: "万元",
        kind: "money",
        cumulative: true,
        required: true,
        groups: "[]",
        sortOrder: 1,
      },
      {
        year,
        key: "projects",
        label: "包装招商项目",
        aliases: JSON.stringify(["招商项目"]),
        unit: "个",
        kind: "count",
        cumulative: true,
        required: true,
        groups: JSON.stringify(["foreign_trade"]),
        sortOrder: 2,
      },
    ],
  });
  const zoneIds = opts.zoneIds ?? [RF.zones.huishui, RF.zones.longli, RF.zones.songtao, RF.zones.sansui];
  await db.zoneMembership.createMany({
    data: zoneIds.map((zoneId) => ({ year, zoneId, groupCode: "foreign_trade" })),
  });
}

/** Writes the roster into an empty, migrated store. */
export async function seedReminderFixture(db: Db): Promise<void> {
  await db.prefecture.createMany({
    data: [
      { code: "5206", name: "铜仁市", shortName: "铜仁", sortOrder: 6 },
      { code: "5226", name: "黔东南苗族侗族自治州", shortName: "黔东南", sortOrder: 8 },
      { code: "5227", name: "黔南布依族苗族自治州", shortName: "黔南", sortOrder: 9 },
    ],
  });
  const zone = (id: string, name: string, shortName: string, prefectureCode: string) => ({
    id,
    name,
    shortName,
    aliases: JSON.stringify([`${shortName}经开区`]),
    prefectureCode,
  });
  await db.zone.createMany({
    data: [
      zone(RF.zones.huishui, "惠水经济开发区", "惠水", "5227"),
      zone(RF.zones.longli, "龙里经济开发区", "龙里", "5227"),
      zone(RF.zones.songtao, "松桃经济开发区", "松桃", "5206"),
      zone(RF.zones.wanshan, "万山经济开发区", "万山", "5206"),
      zone(RF.zones.sansui, "三穗经济开发区", "三穗", "5226"),
    ],
  });
  for (const year of [2023, 2024]) await addProgrammeYear(db, year, RF.deadlines[year]!);
  const c = RF.contacts;
  await createContacts(db, [
    {
      id: c.qiannan,
      name: "李黔南",
      role: "bureau_contact",
      prefectureCode: "5227",
      identities: { wecom: "qn_li" },
    },
    {
      id: c.qiannanLead,
      name: "王分管",
      role: "bureau_lead",
      prefectureCode: "5227",
      identities: { wecom: "qn_wang" },
    },
    {
      id: c.tongren,
      name: "张铜仁",
      role: "bureau_contact",
      prefectureCode: "5206",
      identities: { wecom: "tr_zhang" },
    },
    { id: c.tongrenLead, name: "陈分管", role: "bureau_lead", prefectureCode: "5206" },
    {
      id: c.qdn,
      name: "杨黔东南",
      role: "bureau_contact",
      prefectureCode: "5226",
      identities: { wechat: "wxid_qdn" },
    },
    { id: c.qdnOld, name: "前联络员", role: "bureau_contact", prefectureCode: "5226", active: false },
    {
      id: c.qdnLead,
      name: "吴分管",
      role: "bureau_lead",
      prefectureCode: "5226",
      identities: { wechat: "wxid_qdn_wu" },
    },
    { id: c.taskForce, name: "王专班", role: "task_force", identities: { wecom: "tf_wang" } },
    { id: c.taskForce2, name: "赵专班", role: "task_force" },
  ]);
  await createChatGroups(db, [
    {
      id: RF.groups.qiannan,
      name: "黔南州经开区工作群",
      channel: "wecom_robot",
      identities: { wecom_robot_key_env: RF.robotKeyEnv },
      audience: "prefecture",
      prefectureCode: "5227",
      copyReminders: true,
    },
    {
      id: RF.groups.tongren,
      name: "铜仁市经开区工作群",
      channel: "wecom_appchat",
      identities: { wecom_chat: "chat_tr" },
      audience: "prefecture",
      prefectureCode: "5206",
      copyReminders: false,
    },
    {
      id: RF.groups.taskForce,
      name: "省专班工作群",
      channel: "wecom_appchat",
      identities: { wecom_chat: "chat_tf" },
      audience: "task_force",
      copyReminders: true,
    },
  ]);
}

/** Stores a confirmed report revision for a zone (what the dialogue does when a contact confirms). */
export async function confirmReport(
  db: Db,
  r: { year: number; quarter: number; zoneId: string; contactId: string; at: Date },
): Promise<void> {
  const last = await db.reportRevision.findFirst({
    where: { year: r.year, quarter: r.quarter, zoneId: r.zoneId },
    orderBy: { revisionNo: "desc" },
  });
  await db.reportRevision.create({
    data: {
      year: r.year,
      quarter: r.quarter,
      zoneId: r.zoneId,
      revisionNo: (last?.revisionNo ?? 0) + 1,
      status: "confirmed",
      values: JSON.stringify({ trade_total: "1000", projects: "2" }),
      contactId: r.contactId,
      channel: "console",
      rawText: "进出口额：1000万元；包装招商项目：2个",
      createdAt: r.at,
      confirmedAt: r.at,
    },
  });
}

/** An AppContext on a store, with the group robot key of 黔南 configured (WeCom app itself off). */
export function reminderApp(
  store: Store,
  clock: Clock,
  opts: { env?: Record<string, string>; logger?: Logger; instanceId?: string } = {},
): AppContext {
  return testApp(
    store,
    clock,
    { INSTANCE_ID: opts.instanceId ?? "test-1", [RF.robotKeyEnv]: "robot-key-qn", ...opts.env },
    opts.logger ? { logger: opts.logger } : {},
  );
}

/** A logger that keeps its warnings (msg and fields) for assertions. */
export function recordingLogger(): { logger: Logger; warnings: { msg: string; fields: unknown }[] } {
  const warnings: { msg: string; fields: unknown }[] = [];
  const logger = createLogger("warn", {
    write(line: string) {
      const o = JSON.parse(line) as { level: number; msg: string };
      if (o.level === 40) warnings.push({ msg: o.msg, fields: o });
    },
  });
  return { logger, warnings };
}

/** A dispatcher whose senders record every row they deliver (one "device" per channel). */
export function recordingDispatcher(
  app: AppContext,
  instanceId = "dispatcher-1",
  preSend?: PreSendCheck,
): { dispatcher: OutboxDispatcher; delivered: OutboxRow[] } {
  const delivered: OutboxRow[] = [];
  const sender = {
    send: async (row: OutboxRow): Promise<SendOutcome> => {
      delivered.push(row);
      return { kind: "sent", externalMsgId: `m${row.id}` };
    },
  };
  const channels: OutboxChannel[] = [
    "wecom_app",
    "wecom_appchat",
    "wecom_robot",
    "wechat",
    "wechat_room",
    "console",
  ];
  const dispatcher = new OutboxDispatcher({
    outbox: app.outbox,
    senders: Object.fromEntries(channels.map((c) => [c, sender])),
    clock: app.clock,
    logger: app.logger,
    instanceId,
    batch: 200,
    maxAttempts: 3,
    leaseMs: 60_000,
    pollMs: 10,
    ...(preSend ? { preSend } : {}),
  });
  return { dispatcher, delivered };
}

/** Runs the dispatcher until nothing is left to claim. */
export async function drain(dispatcher: OutboxDispatcher): Promise<number> {
  let sent = 0;
  for (;;) {
    const s = await dispatcher.runOnce();
    sent += s.sent;
    if (s.claimed === 0) return sent;
  }
}
