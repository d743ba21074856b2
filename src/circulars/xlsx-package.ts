import { Readable } from "node:stream";
import JSZip from "jszip";
import { stylesXml } from "./xlsx-styles.js";

/**
 * The xlsx package (an OPC zip): workbook, styles, document properties and the sheets, whose parts
 * arrive as chunks of XML text and are deflated as they are read, never joined into one string.
 */

export interface SheetPart {
  name: string;
  chunks: Iterable<string>;
  /** Rows repeated at the top of every printed page, 1-based and inclusive. */
  printTitles?: [number, number];
}

export interface PackageMeta {
  creator: string;
  /** The document's created and modified time. */
  date: Date;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const esc = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function contentTypes(sheets: number): string {
  const ct = "application/vnd.openxmlformats-officedocument";
  const sheetTypes = Array.from(
    { length: sheets },
    (_, i) =>
      `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${ct}.spreadsheetml.worksheet+xml"/>`,
  ).join("");
  return (
    XML_HEAD +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Override PartName="/xl/workbook.xml" ContentType="${ct}.spreadsheetml.sheet.main+xml"/>` +
    sheetTypes +
    `<Override PartName="/xl/styles.xml" ContentType="${ct}.spreadsheetml.styles+xml"/>` +
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
    `<Override PartName="/docProps/app.xml" ContentType="${ct}.extended-properties+xml"/>` +
    "</Types>"
  );
}

function workbookXml(sheets: SheetPart[]): string {
  const names = sheets
    .map((s, i) =>
      s.printTitles
        ? `<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${esc(`'${s.name.replace(/'/g, "''")}'`)}!$${s.printTitles[0]}:$${s.printTitles[1]}</definedName>`
        : "",
    )
    .join("");
  return (
    XML_HEAD +
    `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="${REL}">` +
    '<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews><sheets>' +
    sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 2}"/>`).join("") +
    "</sheets>" +
    (names ? `<definedNames>${names}</definedNames>` : "") +
    '<calcPr calcId="171027"/></workbook>'
  );
}

function workbookRels(sheets: number): string {
  return (
    XML_HEAD +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    `<Relationship Id="rId1" Type="${REL}/styles" Target="styles.xml"/>` +
    Array.from(
      { length: sheets },
      (_, i) =>
        `<Relationship Id="rId${i + 2}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
    ).join("") +
    "</Relationships>"
  );
}

const ROOT_RELS =
  XML_HEAD +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  `<Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/>` +
  "</Relationships>";

function coreXml(meta: PackageMeta): string {
  const when = `${meta.date.toISOString().slice(0, 19)}Z`;
  return (
    XML_HEAD +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:creator>${esc(meta.creator)}</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    "</cp:coreProperties>"
  );
}

const APP_XML =
  XML_HEAD +
  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>kaiqu-bot</Application></Properties>';

/** Zips the workbook; deflate level 1, as the sheets are repetitive XML that level 6 shrinks little more, slower. */
export async function xlsxPackage(sheets: SheetPart[], meta: PackageMeta): Promise<Buffer> {
  const zip = new JSZip();
  const date = meta.date;
  const opts = { date, createFolders: false };
  zip.file("[Content_Types].xml", contentTypes(sheets.length), opts);
  zip.file("_rels/.rels", ROOT_RELS, opts);
  zip.file("docProps/core.xml", coreXml(meta), opts);
  zip.file("docProps/app.xml", APP_XML, opts);
  zip.file("xl/workbook.xml", workbookXml(sheets), opts);
  zip.file("xl/_rels/workbook.xml.rels", workbookRels(sheets.length), opts);
  zip.file("xl/styles.xml", stylesXml(), opts);
  sheets.forEach((s, i) => {
    const chunks = Readable.from(
      (function* () {
        // An empty chunk would end JSZip's deflate stream early.
        for (const c of s.chunks) if (c !== "") yield Buffer.from(c, "utf8");
      })(),
    );
    zip.file(`xl/worksheets/sheet${i + 1}.xml`, chunks, opts);
  });
  return zip.generateAsync({
    type: "nodebuffer",
    streamFiles: true,
    compression: "DEFLATE",
    compressionOptions: { level: 1 },
  });
}
