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
