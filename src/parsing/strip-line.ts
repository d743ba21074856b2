const LIST_MARKER =
  /^(?:[(（]\s*[一二三四五六七八九十]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*[、.]|[(（]\s*\d{1,2}\s*[)）]|\d{1,2}\s*[、.．](?![\d.])|[①-⑳]|[0-9#*]\uFE0F?\u20E3|🔟|[•·●○■□◆◇▪►]+|[-*>]+(?=\s))\s*/u;
const LEADING_BRACKET = /^[【〔[「『]\s*([^】〕\]」』]{1,30}?)\s*[】〕\]」』]\s*/u;

/**
 * A normalised line without its decoration: list markers ("一、", "(1)", "1.", "①", "•") and a bracketed
 * heading ("【惠水经开区】进出口…" → "惠水经开区 进出口…"). Numbers such as "3.2亿" at the start are kept.
 */
export function stripLineDecoration(line: string): string {
  let s = line;
  for (let i = 0; i < 3; i++) {
    const next = s.replace(LIST_MARKER, "");
    if (next === s) break;
    s = next;
  }
  s = s.replace(LEADING_BRACKET, "$1 ").replace(/\s*[【〔[「『]?\s*$/, "");
  return s.replace(/^\s*[】〕\]」』]+|[】〕\]」』]+\s*$/g, "").trim();
}
