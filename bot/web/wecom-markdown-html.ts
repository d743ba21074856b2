/**
 * WeCom markdown (the subset our circulars use: # headings, > quotes, **bold**, <font color>) as
 * safe HTML, so the preview shows the text as the group will see it. Everything is escaped first;
 * only the exact tag forms WeCom supports are turned back into markup.
 */
export function wecomMarkdownToHtml(md: string): string {
  return md
    .split("\n")
    .map((line) => {
      let s = escapeHtml(line);
      s = s.replace(/&lt;font color=&quot;(info|warning|comment)&quot;&gt;/g, '<span class="$1">');
      s = s.replace(/&lt;\/font&gt;/g, "</span>");
      s = s.replace(/\*\*([^*]+)\*\*/g, "<b>$1</b>");
      s = s.replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, "$1（$2）");
      const heading = /^(#{1,6}) (.*)$/.exec(s);
      if (heading) return `<div class="h${heading[1]!.length}"><b>${heading[2]}</b></div>`;
      if (s.startsWith("&gt; ")) return `<div class="comment">${s.slice(5)}</div>`;
      return `<div>${s || "&nbsp;"}</div>`;
    })
    .join("\n");
}

export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}
