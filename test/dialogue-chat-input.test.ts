import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readChatMessages } from "../bot/transports/console/chat-input.js";

async function collect(chunks: string[], interactive: boolean, gapMs = 0): Promise<string[]> {
  const input = new PassThrough();
  const got: string[] = [];
  const done = readChatMessages({
    input,
    interactive,
    pasteMs: 20,
    onMessage: async (t) => void got.push(t),
  });
  for (const c of chunks) {
    input.write(c);
    if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
  }
  input.end();
  await done;
  return got;
}

describe("terminal chat input", () => {
  it('piped: one line per message, a """ block is one multi-line message, blank lines skipped', async () => {
    const got = await collect(['帮助\n\n"""\n惠水经开区\n进出口：3.2亿元\n"""\n确认\n'], false);
    expect(got).toEqual(["帮助", "惠水经开区\n进出口：3.2亿元", "确认"]);
  });

  it("interactive: lines pasted together form one message; typed lines stay separate", async () => {
    const pasted = await collect(["惠水经开区\n进出口：3.2亿元\n包装招商项目：3个\n"], true);
    expect(pasted).toEqual(["惠水经开区\n进出口：3.2亿元\n包装招商项目：3个"]);
    const typed = await collect(["模板\n", "进度\n"], true, 60);
    expect(typed).toEqual(["模板", "进度"]);
  });
});
