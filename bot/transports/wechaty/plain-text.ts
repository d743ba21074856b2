/**
 * Personal WeChat shows text only: markdown (as written for WeCom) becomes readable plain text.
 * Headings lose their #, emphasis and code marks go, links become "text（url）", WeCom's <font> tags
 * and block quotes are unwrapped; tables and lists stay as they are (they read fine as text).
 */
export function markdownToPlainText(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, "\n")
    .replace(/<font[^>]*>([\s\S]*?)<\/font>/gi, "$1")
    .replace(/^\s{0,3}#{1,6}\s+/gm, "")
    .replace(/^\s{0,3}>\s?/gm, "")
    .replace(/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, "$1（$2）")
    .replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, "$1（$2）")
    .replace(/(\*\*|__)(.+?)\1/g, "$2")
    .replace(/(^|[^*\w])\*(?!\s)([^*\n]+?)\*(?!\w)/g, "$1$2")
    .replace(/`{3}[^\n]*\n?/g, "")
    .replace(/`([^`\n]+)`/g, "$1")
    .replace(/^\s{0,3}(-{3,}|\*{3,}|_{3,})\s*$/gm, "——————")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
