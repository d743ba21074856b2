import { formatLocal } from "../../../src/time/clock.js";

/** User-facing texts of the personal-WeChat transport (task-force alerts and the non-text reply). */
export const wechatTexts = {
  textOnly:
    "您好，目前只能识别文字消息和 Excel 报送表（.xlsx、.xls、.csv），表情、链接、名片等暂不支持。请直接输入文字，例如：“惠水经开区 一季度 进出口累计3.2亿元，包装招商项目3个”；发送“模板”可获取填报模板。",

  loggedIn: (name: string, at: Date) =>
    `【个人微信】机器人微信号「${name}」已于 ${formatLocal(at)} 登录，开始收发消息。`,

  loggedOut: (name: string, at: Date, reason?: string) =>
    `【个人微信】机器人微信号「${name}」已于 ${formatLocal(at)} 退出登录${reason ? `（${reason}）` : ""}。` +
    "待发消息会留在发件箱，不会丢失；请在服务器终端扫码重新登录（日志里也有二维码链接）。",

  error: (at: Date, message: string) =>
    `【个人微信】${formatLocal(at)} 出现错误：${message}。如持续出现，请检查机器人进程和 Wechaty puppet 服务（本小时内不再重复提醒）。`,

  breaker: (at: Date, until: Date, error: string) =>
    `【个人微信】${formatLocal(at)} 微信提示发送过于频繁（${error}），为保护账号已暂停个人微信发送，` +
    `${formatLocal(until)} 后自动恢复。暂停期间的消息留在发件箱，恢复后依次发出；如需尽快送达，请改用企业微信或电话联系。`,

  unresolvedTarget: (p: {
    kind: "direct" | "group";
    label: string;
    recipient: string;
    rowId: number;
    purpose: string;
  }) =>
    `【个人微信】找不到${p.kind === "direct" ? "联系人" : "群聊"}「${p.label}」（${p.recipient}），` +
    `一条${purposeLabel(p.purpose)}没有发出（发件箱 #${p.rowId}）。` +
    (p.kind === "direct"
      ? "请确认对方仍是机器人微信的好友，并核对花名册里的微信 ID 和备注名（wechatId / wechatAlias）；"
      : "请确认机器人仍在该群，并核对花名册群聊表里的 微信群ID 和 微信群名称；") +
    "改好后可在发件箱重发这一条。",

  bindingReport: (p: {
    at: Date;
    rebound: { label: string; how: string; from: string; to: string }[];
    unresolved: { label: string; ref: string; why: string }[];
  }) => {
    const lines = [`【个人微信】${formatLocal(p.at)} 登录后核对花名册：`];
    if (p.unresolved.length > 0) {
      lines.push(`以下 ${p.unresolved.length} 项在微信里找不到，发给它们的消息会失败并提醒：`);
      for (const u of p.unresolved) lines.push(`- ${u.label}（${u.ref}）：${u.why}`);
    }
    if (p.rebound.length > 0) {
      lines.push(
        `以下 ${p.rebound.length} 项的微信 ID 已变化，已按备注名、昵称或群名重新绑定，请核对是否为同一人/同一群：`,
      );
      for (const r of p.rebound) lines.push(`- ${r.label}：${r.how}，${r.from} → ${r.to}`);
    }
    return lines.join("\n");
  },
};

function purposeLabel(purpose: string): string {
  switch (purpose) {
    case "reply":
      return "回复";
    case "reminder":
      return "催报提醒";
    case "digest":
      return "汇总";
    case "circular":
      return "通报";
    case "alert":
      return "告警";
    default:
      return "消息";
  }
}
