import { loadTemplate } from "../templates/load-template.js";
import { renderTemplate, type TemplateView } from "../templates/render-template.js";
import { splitByBytes, splitByChars } from "../text/split-by-bytes.js";

export const MARKDOWN_TEMPLATE = "circular.md.tpl";

/** WeCom byte limits: group-robot markdown 4096, app / app-chat markdown and text 2048. */
export const ROBOT_MARKDOWN_MAX_BYTES = 4096;
export const APP_MESSAGE_MAX_BYTES = 2048;
/** Personal WeChat has no documented limit but folds long messages; same cap as the replies. */
export const PLAIN_TEXT_MAX_CHARS = 1500;

export interface RenderedText {
  /** The whole circular as WeCom markdown. */
  markdown: string;
  /** The same without markdown (personal WeChat rooms and 1:1 text replies show markup verbatim). */
  plain: string;
  /** Markdown parts ≤ 4096 bytes each, numbered when more than one (group robots). */
  robotParts: string[];
  /** Markdown parts ≤ 2048 bytes each (app messages, app group chats). */
  appParts: string[];
  /** Plain-text parts ≤ 1500 characters each (WeChat rooms). */
  plainParts: string[];
}

function tidy(text: string): string {
  return `${text
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}

/** Strips the WeCom markdown subset: headings, bold, colour tags, quote marks. */
export function markdownToPlain(markdown: string): string {
  return markdown
    .split("\n")
    .map((l) =>
      l
        .replace(/^#{1,6}\s+(.*)$/, "【$1】")
        .replace(/^>\s?/, "")
        .replace(/<\/?font[^>]*>/g, "")
        .replace(/\*\*(.*?)\*\*/g, "$1"),
    )
    .join("\n");
}

export function renderCircularMarkdown(
  view: TemplateView,
  template = loadTemplate(MARKDOWN_TEMPLATE),
): RenderedText {
  const markdown = tidy(renderTemplate(template, view, MARKDOWN_TEMPLATE));
  const plain = markdownToPlain(markdown);
  const body = markdown.trimEnd();
  return {
    markdown,
    plain,
    robotParts: splitByBytes(body, ROBOT_MARKDOWN_MAX_BYTES, { numbered: true }),
    appParts: splitByBytes(body, APP_MESSAGE_MAX_BYTES, { numbered: true }),
    plainParts: splitByChars(plain.trimEnd(), PLAIN_TEXT_MAX_CHARS, { numbered: true }),
  };
}
