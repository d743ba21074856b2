import { describe, expect, it } from "vitest";
import { deliveryRoutes } from "../bot/transports/transports.js";
import { createWorkCalendar } from "../src/calendar/workdays.js";
import { loadConfig } from "../src/config/config.js";
import { Decimal } from "../src/domain/decimal.js";
import type { Period } from "../src/domain/period.js";
import type { ChatGroupDef, ContactDef, Programme } from "../src/programme/programme.js";
import { programmeSettingsSchema } from "../src/programme/programme.js";
import { bureauGaps, type RosterSnapshot } from "../src/reminders/bureau-gaps.js";
import { countdownText } from "../src/reminders/compose-reminder.js";
import { type PlanInput, planReminders, remindersForStep } from "../src/reminders/plan-reminders.js";
import { planSchedule, type ReminderSchedule } from "../src/reminders/reminder-schedule.js";
import {
  loadReminderTemplates,
  parseReminderTemplates,
  REMINDER_TEMPLATE_FILE,
} from "../src/reminders/reminder-templates.js";
import { selectDueSteps } from "../src/reminders/select-due-steps.js";
import { loadTemplate } from "../src/templates/load-template.js";
import { localInstant } from "../src/time/clock.js";

const cal = createWorkCalendar();
const DEADLINES_2023 = ["2023-04-22", "2023-07-15", "2023-10-15", "2024-01-15"];

function programme(settings: unknown = {}): Programme {
  const zone = (id: string, name: string, prefectureCode: string, cultivated = true) => ({
    id,
    name,
    shortName: name.slice(0, 2),
    aliases: [],
    prefectureCode,
    groups: cultivated ? (["foreign_trade"] as const).slice() : [],
  });
  return {
    year: 2023,
    title: "t",
    isSample: true,
    quarters: DEADLINES_2023.map((deadline, i) => ({
      quarter: (i + 1) as 1 | 2 | 3 | 4,
      deadline,
      expectedProgressPct: Decimal.parse(String((i + 1) * 25)),
    })),
    indicators: [
      {
        key: "trade_total",
        label: "进出口额",
        aliases: [],
        unit: "万元",
        kind: "money",
        cumulative: true,
        required: true,
        groups: [],
        sortOrder: 1,
      },
    ],
    prefectures: [
      { code: "5206", name: "铜仁市", shortName: "铜仁", sortOrder: 6 },
      { code: "5227", name: "黔南布依族苗族自治州", shortName: "黔南", sortOrder: 9 },
    ],
    zones: [
      zone("HS", "惠水经济开发区", "5227"),
      zone("LL", "龙里经济开发区", "5227"),
      zone("ST", "松桃经济开发区", "5206"),
      zone("WS", "万山经济开发区", "5206", false),
    ],
    targets: [],
    settings: programmeSettingsSchema.parse(settings),
  };
}

const contact = (
  id: string,
  role: ContactDef["role"],
  prefectureCode: string | null,
  active = true,
): ContactDef => ({
  id,
  name: `name-${id}`,
  role,
  prefectureCode,
  identities: { wecom: `wx-${id}` },
  active,
});

const group = (
  id: string,
  prefectureCode: string,
  copyReminders: boolean,
  webhookKeyEnv: string,
): ChatGroupDef => ({
  id,
  name: `group-${id}`,
  channel: "wecom_robot",
  identities: { wecom_robot_key_env: webhookKeyEnv },
  audience: "prefecture",
  prefectureCode,
  copyReminders,
});

function roster(confirmed: string[] = []): RosterSnapshot {
  return {
    contacts: [
      contact("QN", "bureau_contact", "5227"),
      contact("QN-OLD", "bureau_contact", "5227", false),
      contact("QN-LEAD", "bureau_lead", "5227"),
      contact("TR", "bureau_contact", "5206"),
      contact("TF", "task_force", null),
    ],
    groups: [
      group("G-QN", "5227", true, "WECOM_ROBOT_KEY_QN"),
      group("G-TR", "5206", false, "WECOM_ROBOT_KEY_TR"),
    ],
    confirmedZoneIds: new Set(confirmed),
  };
}

const Q1: Period = { year: 2023, quarter: 1 };

function input(p = programme(), r = roster(), period: Period = Q1): PlanInput {
  return {
    programme: p,
    period,
    calendar: cal,
    roster: r,
    templates: loadReminderTemplates(),
    routes: deliveryRoutes(
      loadConfig({
        WECOM_CORP_ID: "ww0123456789",
        WECOM_AGENT_ID: "1000002",
        WECOM_SECRET: "secret",
        WECOM_TOKEN: "token",
        WECOM_ENCODING_AES_KEY: "a".repeat(43),
        WECOM_ROBOT_KEY_QN: "k",
      }),
    ),
  };
}

const bureauSteps = (s: ReminderSchedule) =>
  s.steps.filter((x) => x.stream === "bureau").map((x) => [x.step, x.date, ...x.merged]);

describe("reminder schedule (default cadence, 2023)", () => {
  it("Q1: deadline Saturday 22 April → T-7 and D0 move to Friday, D0 absorbs T-1; overdue from the make-up Sunday", () => {
    const s = planSchedule(programme(), Q1, cal);
    expect(s.deadline).toBe("2023-04-22");
    expect(bureauSteps(s)).toEqual([
      ["open", "2023-04-03"],
      ["T-7", "2023-04-14"],
      ["T-3", "2023-04-19"],
      ["D0", "2023-04-21", "T-1"],
      ["overdue-1", "2023-04-23"],
      ["overdue-2", "2023-04-24"],
      ["overdue-3", "2023-04-25"],
      ["overdue-4", "2023-04-26"],
      ["overdue-5", "2023-04-27"],
    ]);
    expect(s.steps.find((x) => x.step === "T-7")!.nominalDate).toBe("2023-04-15");
    expect(s.steps.filter((x) => x.stream === "lead").map((x) => [x.step, x.date])).toEqual([
      ["lead-overdue-2", "2023-04-24"],
      ["lead-overdue-3", "2023-04-25"],
      ["lead-overdue-4", "2023-04-26"],
      ["lead-overdue-5", "2023-04-27"],
    ]);
    expect(s.steps.filter((x) => x.stream === "digest").map((x) => x.date)).toEqual([
      "2023-04-23",
      "2023-04-24",
      "2023-04-25",
      "2023-04-26",
      "2023-04-27",
    ]);
    for (const step of s.steps) {
      expect(step.at).toEqual(localInstant(step.date, "09:30"));
    }
  });

  it("Q2: deadline Saturday 15 July", () => {
    const s = planSchedule(programme(), { year: 2023, quarter: 2 }, cal);
    expect(bureauSteps(s).slice(0, 5)).toEqual([
      ["open", "2023-07-03"],
      ["T-7", "2023-07-07"],
      ["T-3", "2023-07-12"],
      ["D0", "2023-07-14", "T-1"],
      ["overdue-1", "2023-07-17"],
    ]);
  });

  it("Q3: National Day — opening on the make-up Saturday, T-7 on the make-up Sunday, Sunday deadline → Friday", () => {
    const s = planSchedule(programme(), { year: 2023, quarter: 3 }, cal);
    expect(bureauSteps(s)).toEqual([
      ["open", "2023-10-07"],
      ["T-7", "2023-10-08"],
      ["T-3", "2023-10-12"],
      ["D0", "2023-10-13", "T-1"],
      ["overdue-1", "2023-10-16"],
      ["overdue-2", "2023-10-17"],
      ["overdue-3", "2023-10-18"],
      ["overdue-4", "2023-10-19"],
      ["overdue-5", "2023-10-20"],
    ]);
  });

  it("Q4: across the year boundary — opens after 元旦, T-1 (Sunday) lands on T-3's Friday and is sent once", () => {
    const s = planSchedule(programme(), { year: 2023, quarter: 4 }, cal);
    expect(bureauSteps(s)).toEqual([
      ["open", "2024-01-02"],
      ["T-7", "2024-01-08"],
      ["T-1", "2024-01-12", "T-3"],
      ["D0", "2024-01-15"],
      ["overdue-1", "2024-01-16"],
      ["overdue-2", "2024-01-17"],
      ["overdue-3", "2024-01-18"],
      ["overdue-4", "2024-01-19"],
      ["overdue-5", "2024-01-22"],
    ]);
  });

  it("follows the programme's settings", () => {
    const s = planSchedule(
      programme({
        reminders: {
          time: "08:45",
          beforeDays: [10, 5, 0],
          openingNotice: false,
          overdueMax: 2,
          escalateLeadFromOverdueDay: 1,
          taskForceDigest: false,
        },
      }),
      Q1,
      cal,
    );
    expect(s.steps.map((x) => [x.step, x.date])).toEqual([
      ["T-10", "2023-04-12"],
      ["T-5", "2023-04-17"],
      ["D0", "2023-04-21"],
      ["overdue-1", "2023-04-23"],
      ["lead-overdue-1", "2023-04-23"],
      ["overdue-2", "2023-04-24"],
      ["lead-overdue-2", "2023-04-24"],
    ]);
    expect(s.steps[0]!.at).toEqual(localInstant("2023-04-12", "08:45"));
  });

  it("a step that would fall before the opening is dropped; one on the opening day merges with it", () => {
    const p = programme();
    p.quarters[0]!.deadline = "2023-04-06";
    const s = planSchedule(p, Q1, cal);
    // T-7 = 30 March (before opening on 3 April) dropped; T-3 = 3 April merges with the opening
    expect(bureauSteps(s).slice(0, 3)).toEqual([
      ["T-3", "2023-04-03", "open"],
      ["T-1", "2023-04-04"],
      ["D0", "2023-04-06"],
    ]);
    const first = remindersForStep(input(p), s, s.steps[0]!, "2023-04-03").filter(
      (r) => r.recipientId === "QN",
    );
    // the step that absorbed the opening brings the pre-filled form as a message of its own
    expect(first.map((r) => [r.key, r.partOf])).toEqual([
      ["remind:2023Q1:T-3:QN", "T-3"],
      ["remind:2023Q1:open-form:QN", "T-3"],
    ]);
    expect(first[1]!.text).toContain("惠水经济开发区");
    expect(first[1]!.text).toContain("进出口额");
  });
});

describe("what is due at an instant", () => {
  const s = planSchedule(programme(), Q1, cal);
  const at = (date: string, time: string) => selectDueSteps(s, localInstant(date, time));
  const dueSteps = (r: ReturnType<typeof at>) => r.due.map((d) => [d.step.step, d.late]);

  it("a step goes out from its planned time on its day", () => {
    expect(dueSteps(at("2023-04-19", "09:29"))).toEqual([]);
    expect(at("2023-04-19", "09:29").skipped.map((x) => x.step.step)).toEqual(["T-7"]);
    expect(dueSteps(at("2023-04-19", "09:30"))).toEqual([["T-3", false]]);
    expect(dueSteps(at("2023-04-19", "23:59"))).toEqual([["T-3", false]]);
    expect(dueSteps(at("2023-04-02", "12:00"))).toEqual([]);
  });

  it("after downtime: a missed T-3 goes out the next day from 09:30 while the deadline has not passed", () => {
    expect(dueSteps(at("2023-04-20", "08:00"))).toEqual([]);
    expect(at("2023-04-20", "08:00").skipped[0]!.reason).toContain("09:30");
    expect(dueSteps(at("2023-04-20", "10:00"))).toEqual([["T-3", true]]);
    // but not on a day that has its own step: the Friday's D0 replaces it
    expect(dueSteps(at("2023-04-21", "08:00"))).toEqual([]);
    expect(dueSteps(at("2023-04-21", "09:30"))).toEqual([["D0", false]]);
  });

  it("the deadline day itself (Saturday) still gets the Friday's D0 when it was missed; the day after, nothing", () => {
    expect(dueSteps(at("2023-04-22", "12:00"))).toEqual([["D0", true]]);
    const sunday = at("2023-04-23", "08:00");
    expect(dueSteps(sunday)).toEqual([]);
    expect(sunday.skipped[0]!.reason).toContain("截止日2023-04-22已过");
    expect(dueSteps(at("2023-04-23", "09:30"))).toEqual([
      ["overdue-1", false],
      ["digest-overdue-1", false],
    ]);
  });

  it("overdue steps go out only on their own day; the superseded ones never", () => {
    expect(dueSteps(at("2023-04-24", "15:00"))).toEqual([
      ["overdue-2", false],
      ["lead-overdue-2", false],
      ["digest-overdue-2", false],
    ]);
    const early = at("2023-04-25", "08:00");
    expect(dueSteps(early)).toEqual([]);
    expect(early.skipped.map((x) => x.step.step)).toEqual([
      "overdue-2",
      "lead-overdue-2",
      "digest-overdue-2",
    ]);
    // after the last overdue step the period is finished: nothing due, nothing reported
    expect(at("2023-05-10", "10:00")).toEqual({ due: [], skipped: [] });
  });

  it("countdown wording fits the day it is sent", () => {
    expect(countdownText("2023-04-20", "2023-04-22", cal)).toBe("距截止还有2天");
    expect(countdownText("2023-04-19", "2023-04-22", cal)).toBe("距截止还有3天");
    expect(countdownText("2023-04-21", "2023-04-22", cal)).toBe(
      "明天截止（截止日为非工作日，今天是截止前最后一个工作日）",
    );
    expect(countdownText("2023-10-13", "2023-10-15", cal)).toContain("距截止还有2天（截止日为非工作日");
    expect(countdownText("2024-01-15", "2024-01-15", cal)).toBe("今天截止");
    expect(countdownText("2024-01-14", "2024-01-15", cal)).toBe("明天截止");
  });
});

describe("planned reminders", () => {
  it("address only bureaus with missing zones, name those zones, and copy to groups that asked for it", () => {
    const { reminders } = planReminders(input());
    const t3 = reminders.filter((r) => r.step === "T-3");
    expect(t3.map((r) => r.key).sort()).toEqual([
      "remind:2023Q1:T-3:QN",
      "remind:2023Q1:T-3:TR",
      "remind:2023Q1:T-3:group:G-QN",
    ]);
    const qn = t3.find((r) => r.recipientId === "QN")!;
    expect(qn.zones.map((z) => z.id)).toEqual(["HS", "LL"]);
    expect(qn.address).toEqual({ channel: "wecom_app", recipient: "wx-QN" });
    expect(qn.text).toContain("1. 惠水经济开发区\n2. 龙里经济开发区");
    expect(qn.text).toContain("距截止还有3天");
    const tr = t3.find((r) => r.recipientId === "TR")!;
    expect(tr.zones.map((z) => z.name)).toEqual(["松桃经济开发区"]); // 万山 is not cultivated this year
    const copy = t3.find((r) => r.audience === "group")!;
    expect(copy.address).toEqual({ channel: "wecom_robot", recipient: "WECOM_ROBOT_KEY_QN" });
    expect(copy.mentions).toEqual(["wx-QN"]);
    expect(copy.text).toContain("黔南布依族苗族自治州商务局各位同事您好");
    expect(reminders.filter((r) => r.step === "lead-overdue-2").map((r) => r.key)).toEqual([
      "remind:2023Q1:lead-overdue-2:QN-LEAD",
    ]);
    const digest = reminders.find((r) => r.step === "digest-overdue-3")!;
    expect(digest.key).toBe("remind:2023Q1:digest-overdue-3:TF");
    expect(digest.purpose).toBe("digest");
    expect(digest.text).toContain("今天是逾期第3个工作日，尚有2个市州的3个经开区未报送");
    expect(digest.text).toContain("1. 铜仁市：松桃经济开发区（联络员：name-TR）");
    expect(digest.text).toContain(
      "2. 黔南布依族苗族自治州：惠水经济开发区、龙里经济开发区（联络员：name-QN）",
    );
    const open = reminders.find((r) => r.step === "open" && r.recipientId === "QN")!;
    expect(open.text).toContain("现已开启");
    expect(open.text).toContain("惠水经济开发区");
    expect(open.text).toContain("填报模板随后单独发送");
    // the form follows as its own message (copyable as it is), to contacts only
    const forms = reminders.filter((r) => r.step === "open-form");
    expect(forms.map((r) => r.key)).toEqual(["remind:2023Q1:open-form:TR", "remind:2023Q1:open-form:QN"]);
    expect(forms[1]!.text).toContain("惠水经济开发区");
    expect(forms[1]!.text).toContain("龙里经济开发区");
    expect(forms[1]!.text).toContain("进出口额");
    expect(forms[0]!.text).not.toContain("惠水");
    expect(reminders.indexOf(forms[1]!)).toBe(reminders.indexOf(open) + 1);
  });

  it("a bureau whose zones are all confirmed gets nothing; one zone in → only the other is named; all in → nothing", () => {
    const partly = planReminders(input(programme(), roster(["HS"]))).reminders.filter((r) => r.step === "D0");
    expect(partly.find((r) => r.recipientId === "QN")!.zones.map((z) => z.id)).toEqual(["LL"]);
    const qnDone = planReminders(input(programme(), roster(["HS", "LL"]))).reminders;
    expect(qnDone.some((r) => r.prefectureCode === "5227")).toBe(false);
    expect(qnDone.find((r) => r.step === "digest-overdue-1")!.text).not.toContain("黔南");
    expect(planReminders(input(programme(), roster(["HS", "LL", "ST"]))).reminders).toEqual([]);
  });

  it("a group whose channel is not configured has no address (reported by the run)", () => {
    const i = input();
    i.routes = deliveryRoutes(loadConfig({}));
    const copy = planReminders(i).reminders.find((r) => r.audience === "group")!;
    expect(copy.address).toBeUndefined();
    expect(copy.unreachable).toBe("环境变量 WECOM_ROBOT_KEY_QN 未设置（群机器人密钥）");
    const qn = planReminders(i).reminders.find((r) => r.recipientId === "QN")!;
    expect(qn.address).toEqual({ channel: "console", recipient: "QN" });
  });

  it("bureau gaps skip inactive contacts", () => {
    const gaps = bureauGaps(programme(), roster());
    expect(
      gaps.map((g) => [g.prefecture.code, g.contacts.map((c) => c.id), g.leads.map((c) => c.id)]),
    ).toEqual([
      ["5206", ["TR"], []],
      ["5227", ["QN"], ["QN-LEAD"]],
    ]);
  });
});

describe("reminder templates (templates/reminders.json)", () => {
  it("every step of the real file renders without a leftover placeholder", () => {
    const all = [
      ...planReminders(input()).reminders,
      ...planReminders(input(programme(), roster(), { year: 2023, quarter: 4 })).reminders,
    ];
    expect(new Set(all.map((r) => r.step.replace(/^(.*overdue)-\d+$/, "$1")))).toEqual(
      new Set(["open", "open-form", "T-7", "T-3", "T-1", "D0", "overdue", "lead-overdue", "digest-overdue"]),
    );
    expect(all.find((r) => r.step === "T-1")!.text).toContain("即将截止");
    for (const r of all) expect(r.text).not.toMatch(/\{[^}]*\}/);
    const other = planReminders(input(programme({ reminders: { beforeDays: [5] } }))).reminders;
    expect(other.find((r) => r.step === "T-5")!.text).toContain("距截止还有5天");
  });

  it("refuses unknown placeholders, bad JSON and missing steps with a message naming the place", () => {
    const real = JSON.parse(loadTemplate(REMINDER_TEMPLATE_FILE)) as { steps: Record<string, unknown> };
    const typo = structuredClone(real);
    typo.steps.D0 = "{称乎}您好";
    expect(() => parseReminderTemplates(JSON.stringify(typo))).toThrow(
      /steps\.D0 使用了未知占位符“\{称乎\}”/,
    );
    const missing = structuredClone(real);
    delete missing.steps.overdue;
    expect(() => parseReminderTemplates(JSON.stringify(missing))).toThrow(/steps\.overdue 有误/);
    expect(() => parseReminderTemplates("{ not json")).toThrow(/不是有效的 JSON/);
  });
});
