/**
 * A confirmation answer at the confirmation prompt: 确认/确定/好的/好/对/是/是的/没问题/OK → "yes",
 * 取消/不对/否 → "no", with punctuation, spaces and emoji around them. Anything else → undefined. Only the
 * dialogue decides whether a prompt is open; elsewhere these words are no report.
 */
export function readConfirmation(text: string): "yes" | "no" | undefined {
  // Every message is asked; a report has digits, no answer word has any. A digit outside an emoticon
  // ([…] of up to 6 characters, half- or full-width brackets, as NFKC makes them) would stay in the
  // stripped text below, so the full normalisation can be skipped.
  if (HAS_DIGIT.test(text) && HAS_DIGIT.test(text.replace(EMOTICON_ANY_WIDTH, ""))) return undefined;
  const t = text
    .normalize("NFKC")
    .replace(/\[[^\]]{1,6}\]/g, "") // WeChat emoticons: [OK] [抱拳]
    .replace(/(?:[\s\p{P}\p{S}\p{Extended_Pictographic}]|\u200d|\ufe0f)+/gu, "")
    .toLowerCase();
  if (YES.has(t)) return "yes";
  if (NO.has(t)) return "no";
  return undefined;
}

const HAS_DIGIT = /[0-9０-９]/;
const EMOTICON_ANY_WIDTH = /[[［][^\]］]{1,6}[\]］]/g;

const YES = new Set([
  "确认",
  "确定",
  "好的",
  "好",
  "对",
  "是",
  "是的",
  "没问题",
  "ok",
  "对的",
  "确认无误",
  "可以",
]);
const NO = new Set(["取消", "不对", "否", "不是", "不确认"]);
