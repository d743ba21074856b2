import { XMLParser, XMLValidator } from "fast-xml-parser";
import { CallbackError } from "./callback-crypto.js";

/**
 * XML of WeCom callbacks. Entity processing is off in the parser and any DOCTYPE/ENTITY
 * declaration is refused before parsing (no XXE, no entity expansion). Only the five predefined
 * entities and numeric character references are decoded, by hand, in non-CDATA text.
 */
const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  cdataPropName: "#cdata",
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const FORBIDDEN = /<!DOCTYPE|<!ENTITY|<!ELEMENT|<!ATTLIST/i;
const PREDEFINED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** The fields of one `<xml>…</xml>` document as strings (CDATA kept verbatim). */
export type XmlFields = Record<string, string>;

export function parseCallbackXml(xml: string): XmlFields {
  if (FORBIDDEN.test(xml)) throw new CallbackError("forbidden_xml", "XML declares a DOCTYPE or ENTITY");
  if (XMLValidator.validate(xml) !== true) throw new CallbackError("bad_xml", "malformed XML");
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    throw new CallbackError("bad_xml", "malformed XML");
  }
  if (!isRecord(doc) || Object.keys(doc).length !== 1 || !isRecord(doc.xml))
    throw new CallbackError("bad_xml", "expected a single <xml> root element");
  const out: XmlFields = {};
  for (const [name, value] of Object.entries(doc.xml)) {
    const text = leafText(value);
    if (text !== undefined) out[name] = text;
  }
  return out;
}

/** Leaf text of an element; undefined for nested structures (e.g. SelectedItems) and repeated tags. */
function leafText(value: unknown): string | undefined {
  if (typeof value === "string") return decodeEntities(value);
  if (isRecord(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && typeof value["#cdata"] === "string") return value["#cdata"];
  }
  return undefined;
}

function decodeEntities(text: string): string {
  if (!text.includes("&")) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, ref: string) => {
    if (ref.startsWith("#")) {
      const code = ref[1] === "x" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED[ref] ?? whole;
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
