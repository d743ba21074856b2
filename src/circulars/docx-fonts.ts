/**
 * The font table of the circular's .docx with fallbacks: GB/T 9704 names fonts that many PCs lack
 * (仿宋_GB2312, 方正小标宋简体, 楷体_GB2312). Each entry names the next font to try (w:altName) and
 * carries the GB2312 charset (86) and family, so Word and LibreOffice substitute a Chinese font of
 * the same kind instead of a Latin one:
 *   仿宋_GB2312 → 仿宋 → FangSong · 方正小标宋简体 → 小标宋 → 华文中宋 → SimSun ·
 *   楷体_GB2312 → 楷体 → KaiTi · 黑体 → SimHei · 宋体 → SimSun.
 */
export const FONT_FALLBACKS: Array<{ name: string; alt?: string; family: "roman" | "modern" | "swiss" }> = [
  { name: "仿宋_GB2312", alt: "仿宋", family: "modern" },
  { name: "仿宋", alt: "FangSong", family: "modern" },
  { name: "FangSong", alt: "SimSun", family: "modern" },
  { name: "方正小标宋简体", alt: "小标宋", family: "roman" },
  { name: "小标宋", alt: "华文中宋", family: "roman" },
  { name: "华文中宋", alt: "SimSun", family: "roman" },
  { name: "楷体_GB2312", alt: "楷体", family: "modern" },
  { name: "楷体", alt: "KaiTi", family: "modern" },
  { name: "KaiTi", alt: "SimSun", family: "modern" },
  { name: "黑体", alt: "SimHei", family: "modern" },
  { name: "SimHei", alt: "SimSun", family: "modern" },
  { name: "宋体", alt: "SimSun", family: "roman" },
  { name: "SimSun", family: "roman" },
  { name: "Times New Roman", family: "roman" },
];

export function fontTableXml(): string {
  const fonts = FONT_FALLBACKS.map(
    (f) =>
      `<w:font w:name="${f.name}">${f.alt ? `<w:altName w:val="${f.alt}"/>` : ""}` +
      `<w:charset w:val="${f.name === "Times New Roman" ? "00" : "86"}"/><w:family w:val="${f.family}"/>` +
      `<w:pitch w:val="variable"/></w:font>`,
  ).join("");
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
    `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${fonts}</w:fonts>`
  );
}

/**
 * The package rewrites that put the font table in (docx-package.ts applies them): word/fontTable.xml
 * replaced or added, with its relationship and content type when the package lacked them.
 */
export function fontFallbackRewrites(): Map<string, (text: string) => string> {
  return new Map([
    ["word/fontTable.xml", () => fontTableXml()],
    [
      "word/_rels/document.xml.rels",
      (rels: string) =>
        rels.includes("fontTable.xml")
          ? rels
          : rels.replace(
              "</Relationships>",
              `<Relationship Id="rIdFontTable" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/></Relationships>`,
            ),
    ],
    [
      "[Content_Types].xml",
      (types: string) =>
        types.includes("/word/fontTable.xml")
          ? types
          : types.replace(
              "</Types>",
              `<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/></Types>`,
            ),
    ],
  ]);
}
