import type { Command } from "commander";
import { readChatMessages } from "../../transports/console/chat-input.js";
import { openConsoleSession } from "../../transports/console/console-session.js";
import { clockFromOption } from "../../transports/console/now-option.js";
import type { CliContext } from "../cli-context.js";

export function register(program: Command, ctx: CliContext): void {
  program
    .command("chat")
    .description(
      "以联系人身份在终端与机器人对话（本地存储，与生产同一流程）/ chat with the bot as a contact on the local store",
    )
    .requiredOption("--as <contact>", "联系人ID或企业微信userid / contact id or WeCom userid")
    .option("--now <iso>", "从该时刻开始计时（测试报送期间）/ start the clock at this instant")
    .action(async (opts: { as: string; now?: string }) => {
      const clock = clockFromOption(opts.now, ctx.clock);
      const interactive = Boolean((ctx.stdin as NodeJS.ReadStream).isTTY);
      const session = await openConsoleSession({
        config: ctx.config,
        store: await ctx.store(),
        clock,
        logger: ctx.logger,
        as: opts.as,
        print: (text) => ctx.out(`【机器人】\n${text}\n\n`),
      });
      const c = session.contact;
      ctx.out(
        `已以 ${c.name}（${c.id}）身份连接机器人。发送“帮助”查看命令；多行内容请放在两行 """ 之间；Ctrl+D 退出。\n`,
      );
      await session.flush(); // anything still queued for this contact
      const prompt = () => {
        if (interactive) ctx.stdout.write("你> ");
      };
      prompt();
      await readChatMessages({
        input: ctx.stdin,
        interactive,
        onMessage: async (text) => {
          await session.send(text);
          prompt();
        },
      });
      if (interactive) ctx.out("");
    });
}
