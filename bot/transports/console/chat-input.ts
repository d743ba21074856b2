import { createInterface } from "node:readline";

/**
 * Turns terminal lines into chat messages. One line is one message; a block between two lines of
 * `"""` is one multi-line message (for pasting a filled-in template). On an interactive terminal,
 * lines pasted together (arriving within `pasteMs` of each other) also form one message.
 * Messages are handed to `onMessage` one at a time, in order.
 */
export function readChatMessages(opts: {
  input: NodeJS.ReadableStream;
  interactive: boolean;
  onMessage: (text: string) => Promise<void>;
  pasteMs?: number;
}): Promise<void> {
  const rl = createInterface({ input: opts.input, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  let chain = Promise.resolve();
  let block: string[] | undefined;
  let pasted: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const emit = (text: string) => {
    if (text.trim() === "") return;
    chain = chain.then(() => opts.onMessage(text));
  };
  const flushPasted = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pasted.length > 0) emit(pasted.join("\n"));
    pasted = [];
  };
  rl.on("line", (line) => {
    if (line.trim() === '"""') {
      flushPasted();
      if (block) {
        emit(block.join("\n"));
        block = undefined;
      } else block = [];
      return;
    }
    if (block) {
      block.push(line);
      return;
    }
    if (!opts.interactive) {
      emit(line);
      return;
    }
    pasted.push(line);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flushPasted, opts.pasteMs ?? 40);
  });
  return new Promise((resolve, reject) => {
    rl.on("close", () => {
      flushPasted();
      if (block && block.length > 0) emit(block.join("\n"));
      chain.then(resolve, reject);
    });
  });
}
