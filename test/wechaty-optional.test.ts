import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { markdownToPlainText } from "../bot/transports/wechaty/plain-text.js";

const ROOT = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

/** Static (top-level) imports; `import type` is erased and `await import(…)` is dynamic, so both are fine. */
const STATIC_IMPORT = /^\s*import\s+(?!type\b)[^;]*?from\s+["']([^"']+)["']/gm;
const WECHATY_DIR = `bot${path.sep}transports${path.sep}wechaty${path.sep}`;
const WECHATY_MODULE = `${WECHATY_DIR}wechaty-module.ts`;
const WECHATY_PACKAGES = /^(wechaty|wechaty-puppet.*|file-box|qrcode)(\/|$)/;

describe("wechaty stays optional", () => {
  it("nothing outside bot/transports/wechaty/ imports wechaty or that folder statically", () => {
    const offenders: string[] = [];
    for (const file of [...sources("bot"), ...sources("src")]) {
      if (file.startsWith(WECHATY_DIR)) continue;
      const isModule = (spec: string, resolved: string) =>
        resolved === WECHATY_MODULE.replace(/\.ts$/, ".js") || spec.endsWith("/wechaty/wechaty-module.js");
      const text = readFileSync(path.join(ROOT, file), "utf8");
      for (const m of text.matchAll(STATIC_IMPORT)) {
        const spec = m[1]!;
        const resolved = spec.startsWith(".")
          ? path.relative(ROOT, path.resolve(path.dirname(path.join(ROOT, file)), spec))
          : spec;
        // the module descriptor is the one static entry: it loads the transport dynamically
        if (WECHATY_PACKAGES.test(spec) || (resolved.startsWith(WECHATY_DIR) && !isModule(spec, resolved))) {
          offenders.push(`${file}: ${spec}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it("the transport module loads the transport with a dynamic import, and statically only its channel spec", () => {
    const mod = readFileSync(path.join(ROOT, WECHATY_MODULE), "utf8");
    expect(mod).toMatch(/await import\(["']\.\/start-wechaty-transport\.js["']\)/);
    const statics = [...mod.matchAll(STATIC_IMPORT)].map((m) => m[1]);
    expect(statics).toEqual(["./channel.js"]);
    expect(readFileSync(path.join(ROOT, `${WECHATY_DIR}channel.ts`), "utf8")).not.toMatch(STATIC_IMPORT);
  });
});

describe("markdown for personal WeChat (plain text only)", () => {
  it("drops heading, emphasis, quote and WeCom font marks; keeps links readable", () => {
    expect(
      markdownToPlainText(
        [
          "# 一季度通报",
          '**惠水**：完成 <font color="info">42.0%</font>，*较快*',
          "> 注：数据截至3月底",
          "详见[附件](https://example.cn/a.docx)，代码 `Z5227`",
          "---",
          "- 列表保留",
          "",
          "",
          "",
          "结束",
        ].join("\r\n"),
      ),
    ).toBe(
      "一季度通报\n惠水：完成 42.0%，较快\n注：数据截至3月底\n详见附件（https://example.cn/a.docx），代码 Z5227\n——————\n- 列表保留\n\n结束",
    );
  });

  it("leaves plain text and arithmetic stars alone", () => {
    expect(markdownToPlainText("进出口额 4.2 亿元，同比 +12%")).toBe("进出口额 4.2 亿元，同比 +12%");
    expect(markdownToPlainText("3 * 4 = 12")).toBe("3 * 4 = 12");
  });
});
