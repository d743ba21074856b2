/** Chinese names of the channels a revision or a message went through. */
export const CHANNEL_LABELS: Record<string, string> = {
  wecom: "企业微信",
  wechat: "个人微信",
  console: "控制台/命令行",
  wecom_app: "企业微信应用消息",
  wecom_appchat: "企业微信群聊",
  wecom_robot: "企业微信群机器人",
  wechat_room: "微信群",
};

/**
 * What one outbox row of a circular is, from its key's part ("text-2", "chart-gauge-<group>",
 * "docx", "xlsx"), for the delivery table.
 */
export function circularPartLabel(part: string): string {
  const text = /^text-(\d+)$/.exec(part);
  if (text) return `通报正文（第 ${text[1]} 段）`;
  if (part.startsWith("chart-completion")) return "图：完成率对比";
  if (part.startsWith("chart-gauge")) return "图：合计仪表盘";
  if (part.startsWith("chart-")) return "图表";
  if (part === "docx") return "Word 文件";
  if (part === "xlsx") return "Excel 文件";
  return part;
}
