import JSZip from "jszip";

/** One paragraph of word/document.xml as the circular tests check it. */
export interface DocxParagraph {
  text: string;
  /** w:rFonts w:eastAsia of the first run. */
  eastAsia?: string;
  /** w:sz of the first run, in half-points. */
  size?: number;
  color?: string;
  align?: string;
  firstLine?: number;
  inTable: boolean;
}

/** Reads a part of a .docx (a zip) as text. */
export async function docxPart(buffer: Buffer, name: string): Promise<string> {
  const zip = await JSZip.loadAsync(buffer);
  const file = zip.file(name);
  if (!file) throw new Error(`${name} is not in the document`);
  return file.async("string");
}

const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

const attr = (xml: string, re: RegExp) => re.exec(xml)?.[1];

/** Paragraphs in document order (w:p does not nest; table-cell paragraphs are flagged). */
export function paragraphs(documentXml: string): DocxParagraph[] {
  const out: DocxParagraph[] = [];
  const tableSpans: Array<[number, number]> = [];
  for (const m of documentXml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g))
    tableSpans.push([m.index, m.index + m[0].length]);
  for (const m of documentXml.matchAll(/<w:p(?:\s[^>]*)?>([\s\S]*?)<\/w:p>|<w:p\/>/g)) {
    const xml = m[1] ?? "";
    const text = [...xml.matchAll(/<w:t(?:\s[^>]*)?>([\s\S]*?)<\/w:t>/g)]
      .map((t) => unescapeXml(t[1]!))
      .join("");
    const size = attr(xml, /<w:sz w:val="(\d+)"/);
    const firstLine = attr(xml, /<w:ind [^>]*w:firstLine="(\d+)"/);
    out.push({
      text,
      eastAsia: attr(xml, /<w:rFonts [^>]*w:eastAsia="([^"]+)"/),
      size: size === undefined ? undefined : Number(size),
      color: attr(xml, /<w:color w:val="([0-9A-Fa-f]+)"/),
      align: attr(xml, /<w:jc w:val="(\w+)"/),
      firstLine: firstLine === undefined ? undefined : Number(firstLine),
      inTable: tableSpans.some(([a, b]) => m.index > a && m.index < b),
    });
  }
  return out;
}

/** Every w:sectPr's page size and margins. */
export function sections(documentXml: string) {
  return [...documentXml.matchAll(/<w:sectPr>([\s\S]*?)<\/w:sectPr>/g)].map((m) => {
    const x = m[1]!;
    const n = (re: RegExp) => Number(attr(x, re));
    return {
      width: n(/<w:pgSz [^>]*w:w="(\d+)"/),
      height: n(/<w:pgSz [^>]*w:h="(\d+)"/),
      orient: attr(x, /w:orient="(\w+)"/),
      top: n(/<w:pgMar [^>]*w:top="(\d+)"/),
      right: n(/<w:pgMar [^>]*w:right="(\d+)"/),
      bottom: n(/<w:pgMar [^>]*w:bottom="(\d+)"/),
      left: n(/<w:pgMar [^>]*w:left="(\d+)"/),
      footers: [...x.matchAll(/<w:footerReference w:type="(\w+)" r:id="(\w+)"\/>/g)].map((f) => ({
        type: f[1]!,
        rId: f[2]!,
      })),
    };
  });
}

/** Rows of the n-th table, as cell texts. */
export function tableRows(documentXml: string, n = 0): string[][] {
  const table = [...documentXml.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)][n]?.[0];
  if (!table) return [];
  return [...table.matchAll(/<w:tr(?:\s[^>]*)?>([\s\S]*?)<\/w:tr>/g)].map((r) =>
    [...r[1]!.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) =>
      [...c[1]!.matchAll(/<w:t(?:\s[^>]*)?>([\s\S]*?)<\/w:t>/g)].map((t) => unescapeXml(t[1]!)).join(""),
    ),
  );
}
