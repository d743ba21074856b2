/**
 * The circular workbook's fixed styles (xl/styles.xml): each cell's style index is
 * `kind × formats + format`, so no style is looked up or serialised per cell.
 */

/** What a cell looks like apart from its number format. */
export const XF_KIND = {
  plain: 0,
  /** Sheet title: bold 14 pt, centred. */
  title: 1,
  /** Header label: bold, bordered, centred both ways, wrapped. */
  header: 2,
  /** Table cell: bordered, centred both ways, wrapped. */
  cell: 3,
  /** 合计 row: bold, bordered, centred both ways, not wrapped. */
  total: 4,
  /** Summary value: left-aligned. */
  left: 5,
  /** Summary title: bold 14 pt, aligned as the reader's default. */
  heading: 6,
} as const;
export type XfKind = (typeof XF_KIND)[keyof typeof XF_KIND];

/** The number formats the renderer uses, with their numFmtId (4 and 1 are Excel's built-ins). */
const FORMATS: ReadonlyArray<[string | undefined, number]> = [
  [undefined, 0],
  ["0", 1],
  ["#,##0.00", 4],
  ['0.0"%"', 164],
  ["yyyy-mm-dd hh:mm", 165],
];
const FORMAT_INDEX = new Map<string | undefined, number>([
  ...FORMATS.map(([f], i): [string | undefined, number] => [f, i]),
  ["General", 0],
]);

/** The style index of a cell; a number format outside the fixed set is a programming error. */
export function xfIndex(kind: XfKind, numFmt?: string): number {
  const f = FORMAT_INDEX.get(numFmt);
  if (f === undefined) throw new Error(`xlsx: number format not in styles.xml: ${numFmt}`);
  return kind * FORMATS.length + f;
}

const MIDDLE_WRAP = '<alignment horizontal="center" vertical="center" wrapText="1"/>';
// [fontId, borderId, alignment] per kind, in XF_KIND order.
const KINDS: ReadonlyArray<[number, number, string]> = [
  [0, 0, ""],
  [1, 0, '<alignment horizontal="center"/>'],
  [2, 1, MIDDLE_WRAP],
  [0, 1, MIDDLE_WRAP],
  [2, 1, '<alignment horizontal="center" vertical="center"/>'],
  [0, 0, '<alignment horizontal="left"/>'],
  [1, 0, ""],
];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");

export function stylesXml(): string {
  const custom = FORMATS.filter(([, id]) => id >= 164);
  const xfs = KINDS.flatMap(([font, border, align]) =>
    FORMATS.map(
      ([, id]) =>
        `<xf numFmtId="${id}" fontId="${font}" fillId="0" borderId="${border}" xfId="0"` +
        `${id ? ' applyNumberFormat="1"' : ""}${font ? ' applyFont="1"' : ""}${border ? ' applyBorder="1"' : ""}` +
        (align ? ` applyAlignment="1">${align}</xf>` : "/>"),
    ),
  );
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    `<numFmts count="${custom.length}">${custom.map(([f, id]) => `<numFmt numFmtId="${id}" formatCode="${esc(f!)}"/>`).join("")}</numFmts>` +
    '<fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
    '<font><b/><sz val="14"/></font><font><b/></font></fonts>' +
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>' +
    '<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join("")}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
  );
}
