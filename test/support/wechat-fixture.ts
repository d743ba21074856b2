import { PassThrough } from "node:stream";
import { types } from "wechaty-puppet";
import { mock, PuppetMock } from "wechaty-puppet-mock";
import type { AppContext } from "../../src/app-context.js";
import type { Db, Store } from "../../src/db/database.js";
import { OutboxDispatcher } from "../../src/outbox/dispatcher.js";
import type { OutboxRow } from "../../src/outbox/outbox.js";
import type { SendOutcome } from "../../src/outbox/outbox-message.js";
import type { Clock } from "../../src/time/clock.js";
import { createChatGroups, createContacts } from "./create-contacts.js";
import { testApp } from "./report-app.js";

/** WeChat ids of the mock world and the roster entries bound to them. */
export const WX = {
  self: "wxid_kaiqu_bot",
  zone: "Z5227-HUISHUI",
  taskForceContact: "TF-01",
  /** 李黔南 (roster C5227-01, bound by id). */
  qiannanContact: "C5227-01",
  qiannan: "wxid_qnli",
  /** 王龙里's id in the roster is stale; WeChat knows him under a new id with the remark below. */
  longliStale: "wxid_longli_old",
  longli: "wxid_longli_new",
  longliAlias: "龙里商务-王",
  longliContact: "C5227-02",
  stranger: "wxid_stranger",
  /** 张黔南 is not in WeChat at login (unresolved); he turns up later under a new id with this remark. */
  zhangContact: "C5227-03",
  zhangStale: "wxid_zhang_old",
  zhangAlias: "黔南商务-张",
  room: "qn-room@chatroom",
  roomTopic: "黔南州经开区培育工作群",
  roomGroup: "G5227-WX",
  goneRoom: "gone@chatroom",
  goneTopic: "已解散的旧群",
  goneGroup: "G5227-GONE",
} as const;

/**
 * A small self-contained 2023 roster for the WeChat tests: 黔南 (5227) with 惠水 (foreign-trade group),
 * two indicators, 李黔南 bound by WeChat id, 王龙里 whose stored WeChat id is stale (re-bound by remark
 * at login), 张黔南 who cannot be found at login, a task-force member reachable only on the console, the prefecture group chat bound by
 * room id, and a group whose room no longer exists (reported as unresolved).
 */
export async function seedWechatRoster(db: Db): Promise<void> {
  const year = 2023;
  await db.prefecture.create({
    data: { code: "5227", name: "黔南布依族苗族自治州", shortName: "黔南", sortOrder: 9 },
  });
  await db.zone.create({
    data: {
      id: WX.zone,
      name: "惠水经济开发区",
      shortName: "惠水",
      aliases: JSON.stringify(["惠水经开区"]),
      prefectureCode: "5227",
    },
  });
  await db.programmeYear.create({ data: { year, title: "2023年经开区培育（微信测试）", isSample: true } });
  await db.programmeQuarter.createMany({
    data: [
      { year, quarter: 1, deadline: "2023-04-22", expectedProgressPct: "25" },
      { year, quarter: 2, deadline: "2023-07-15", expectedProgressPct: "50" },
      { year, quarter: 3, deadline: "2023-10-15", expectedProgressPct: "75" },
      { year, quarter: 4, deadline: "2024-01-15", expectedProgressPct: "100" },
    ],
  });
  await db.indicator.createMany({
    data: [
      {
        year,
        key: "trade_total",
        label: "进出口额",
        aliases: JSON.stringify(["进出口", "进出口总额"]),
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
  await db.zoneMembership.create({ data: { year, zoneId: WX.zone, groupCode: "foreign_trade" } });
  await db.target.createMany({
    data: [
      { year, scope: "zone", zoneId: WX.zone, groupCode: "", indicatorKey: "trade_total", value: "150000" },
      { year, scope: "zone", zoneId: WX.zone, groupCode: "", indicatorKey: "projects", value: "10" },
    ],
  });
  await createContacts(db, [
    {
      id: WX.qiannanContact,
      name: "李黔南",
      role: "bureau_contact",
      prefectureCode: "5227",
      identities: { wechat: WX.qiannan, wechat_alias: "黔南商务-李" },
    },
    {
      id: WX.longliContact,
      name: "王龙里",
      role: "bureau_contact",
      prefectureCode: "5227",
      identities: { wechat: WX.longliStale, wechat_alias: WX.longliAlias },
    },
    {
      id: WX.zhangContact,
      name: "张黔南",
      role: "bureau_contact",
      prefectureCode: "5227",
      identities: { wechat: WX.zhangStale, wechat_alias: WX.zhangAlias },
    },
    { id: WX.taskForceContact, name: "王专班", role: "task_force", prefectureCode: null },
  ]);
  await createChatGroups(db, [
    {
      id: WX.roomGroup,
      name: "黔南州经开区工作群（微信）",
      channel: "wechat_room",
      identities: { wechat_room_id: WX.room, wechat_topic: WX.roomTopic },
      audience: "prefecture",
      prefectureCode: "5227",
    },
    {
      id: WX.goneGroup,
      name: "黔南旧工作群（微信）",
      channel: "wechat_room",
      identities: { wechat_room_id: WX.goneRoom, wechat_topic: WX.goneTopic },
      audience: "prefecture",
      prefectureCode: "5227",
    },
  ]);
}

/**
 * A PuppetMock whose next sends fail with the queued error texts (the platform refusing a send).
 * It also types a spreadsheet file (.xlsx/.xls/.csv) as an attachment, as WeChat does: the mock's own
 * table knows only .txt/.doc/.pdf and would call such a file "unknown".
 */
export class FlakyPuppetMock extends PuppetMock {
  readonly failNext: string[] = [];

  override async messageRawPayload(id: string): ReturnType<PuppetMock["messageRawPayload"]> {
    const p = await super.messageRawPayload(id);
    const box = this.mocker.cacheFileBoxPayload.get(id) as { name?: string } | undefined;
    if (p.type === types.Message.Unknown && /\.(xlsx|xls|csv)$/i.test(box?.name ?? ""))
      return { ...p, type: types.Message.Attachment };
    return p;
  }

  override async messageSendText(conversationId: string, text: string): Promise<void> {
    const f = this.failNext.shift();
    if (f) throw new Error(f);
    return super.messageSendText(conversationId, text);
  }

  override async messageSendFile(
    conversationId: string,
    file: Parameters<PuppetMock["messageSendFile"]>[1],
  ): Promise<void> {
    const f = this.failNext.shift();
    if (f) throw new Error(f);
    return super.messageSendFile(conversationId, file);
  }
}

export interface Delivered {
  id: string;
  text?: string;
  /** File name when a file was sent. */
  file?: string;
}

/** The mock WeChat world: the bot's account, 李黔南, 王龙里 (new id), a stranger and the prefecture room. */
export function createMockWechat() {
  const mocker = new mock.Mocker();
  const puppet = new FlakyPuppetMock({ mocker });
  const self = mocker.createContact({ id: WX.self, name: "经开区调度机器人" });
  const qiannan = mocker.createContact({ id: WX.qiannan, name: "李黔南", alias: "黔南商务-李" });
  const longli = mocker.createContact({ id: WX.longli, name: "龙里小王", alias: WX.longliAlias });
  const stranger = mocker.createContact({ id: WX.stranger, name: "路人甲" });
  const room = mocker.createRoom({
    id: WX.room,
    topic: WX.roomTopic,
    memberIdList: [self.id, qiannan.id, longli.id],
  });
  const delivered = new Map<string, Delivered[]>();
  const record = (where: mock.ContactMock | mock.RoomMock) =>
    (where as unknown as NodeJS.EventEmitter).on("message", (m: mock.MessageMock) => {
      if (m.payload.talkerId !== self.id) return;
      const file = mocker.cacheFileBoxPayload.get(m.id) as { name?: string } | undefined;
      delivered.set(where.id, [
        ...(delivered.get(where.id) ?? []),
        {
          id: m.id,
          ...(m.payload.text !== undefined ? { text: m.payload.text } : {}),
          ...(file ? { file: file.name } : {}),
        },
      ]);
    });
  for (const c of [qiannan, longli, stranger]) record(c);
  record(room);
  /** A contact that appears after login (added as a friend later); its deliveries are recorded too. */
  const addContact = (payload: { id: string; name: string; alias?: string }) => {
    const c = mocker.createContact(payload);
    record(c);
    return c;
  };
  return {
    mocker,
    puppet,
    self,
    qiannan,
    longli,
    stranger,
    room,
    addContact,
    /** What the bot sent to a contact or room (by WeChat id), in order. */
    delivered: (id: string) => delivered.get(id) ?? [],
  };
}

/** An AppContext over a test store (WeCom off, WeChat on) with the given WECHAT_* overrides. */
export function wechatTestApp(store: Store, clock: Clock, env: Record<string, string> = {}): AppContext {
  return testApp(store, clock, {
    WECHATY_PUPPET: "wechaty-puppet-mock",
    WECHATY_NAME: `kaiqu-test-${process.pid}`,
    AUTO_CONFIRM: "true",
    ...env,
  });
}

/** A dispatcher for the WeChat channels; given-up rows are collected (compose wires this to an alert). */
export function wechatDispatcher(
  app: AppContext,
  senders: Record<"wechat" | "wechat_room", { send(row: OutboxRow): Promise<SendOutcome> }>,
  gaveUp: { row: OutboxRow; error: string }[],
): OutboxDispatcher {
  return new OutboxDispatcher({
    outbox: app.outbox,
    senders,
    clock: app.clock,
    logger: app.logger,
    instanceId: "wechat-test",
    batch: 20,
    maxAttempts: 3,
    leaseMs: 120_000,
    pollMs: 1_000,
    random: () => 0.5,
    onGiveUp: async (row, outcome) => {
      gaveUp.push({ row, error: outcome.error });
    },
  });
}

/**
 * Runs dispatch passes, moving the clock to the next held row while it is due within `maxJumpMs`
 * (jittered delays, per-minute budgets) — never across longer holds (quiet hours, the breaker).
 */
export async function drainWechat(
  d: OutboxDispatcher,
  app: AppContext & { clock: Clock & { set(at: Date): void } },
  maxJumpMs = 70_000,
): Promise<void> {
  for (let pass = 0; pass < 200; pass++) {
    const s = await d.runOnce();
    if (s.claimed > 0) continue;
    const next = await app.store.db.outboundMessage.findFirst({
      where: { status: "pending", channel: { in: ["wechat", "wechat_room"] } },
      orderBy: { nextAttemptAt: "asc" },
    });
    const now = app.clock.now().getTime();
    if (!next || next.nextAttemptAt.getTime() - now > maxJumpMs) return;
    if (next.nextAttemptAt.getTime() > now) app.clock.set(next.nextAttemptAt);
  }
  throw new Error("drainWechat: still busy after 200 passes");
}

/** Collects what the transport writes (the login QR). */
export function textSink(): { stream: PassThrough; text(): string } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on("data", (c: Buffer | string) => chunks.push(String(c)));
  return { stream, text: () => chunks.join("") };
}
