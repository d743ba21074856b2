import { commandText } from "../dialogue-reply.js";
import { answer, type Handler, type HandlerContext } from "../handler.js";

const HELP = /^(帮助|help|菜单|命令|使用说明|\?|？)$/i;

export function helpText(ctx: Pick<HandlerContext, "contact">): string {
  const lines = [
    "经开区培育调度机器人可以接收各市州经开区的季度报送。直接发送数据即可，例如：",
    "惠水经开区 一季度 进出口累计3.2亿元，同比增长12.5%，包装招商项目3个，赴外招商4次，引进外贸主体1家，人才培训2场",
    "",
    "可用命令：",
    "· 模板 / 填报模板：获取本季度填报模板（已按您负责的经开区预填）",
    "· 进度：查看本市州本季度已报送和未报送的经开区",
    "· 确认 / 取消：确认保存或放弃核对中的报送",
    "· 修改 …：修改核对中的内容，例如“修改 惠水 进出口3.5亿元”",
    "· 更正 …：更正已确认的报送（保存为新版本），例如“更正 惠水 进出口3.5亿元”",
    "· 撤销：放弃未确认的草稿",
    "· 帮助：显示本说明",
    "",
    "说明：金额请写明亿元或万元；累计数自1月1日起算；缺少必填项时机器人会提示，只需补发缺少的数据。",
  ];
  if (ctx.contact.role === "task_force") {
    lines.push("省专班成员可代任意经开区报送；“模板 惠水 龙里”获取指定经开区的模板。");
  }
  return lines.join("\n");
}

export const help: Handler = {
  name: "help",
  matches: (ctx) => ctx.event.kind === "text" && HELP.test(commandText(ctx)),
  run: async (ctx) => answer("info", helpText(ctx)),
};
