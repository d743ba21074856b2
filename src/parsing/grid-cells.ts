import type { CellGrid } from "./read-table.js";

/**
 * The cells of one grid as the table reader looks at them: trimmed, and what each names (an indicator
 * header, a zone), each worked out once per cell. Finding the layout asks about every cell of the first
 * ten rows once per candidate header row; with this the cost is one look-up per ask. A cell beyond the end
 * of its row reads "" (as a cell that is there but empty). Rows are filled on first ask, so a ragged grid
 * costs what it holds, not height × width.
 */
export class GridCells<H, Z> {
  readonly height: number;
  /** The widest row's length. */
  readonly width: number;
  private readonly texts: (string | undefined)[][] = [];
  private readonly headers: (H | undefined | null)[][] = [];
  private readonly zones: (Z | undefined | null)[][] = [];
  private emptyHeader: H | undefined | null = null;
  private emptyZone: Z | undefined | null = null;

  constructor(
    readonly grid: CellGrid,
    private readonly headerOf: (text: string) => H | undefined,
    private readonly zoneOf: (text: string) => Z | undefined,
  ) {
    this.height = grid.rows.length;
    this.width = Math.max(0, ...grid.rows.map((r) => r.length));
  }

  /** The cell's text, trimmed ("" outside the grid). */
  text(r: number, c: number): string {
    const row = this.grid.rows[r];
    if (!row || c >= row.length) return (row?.[c] ?? "").trim();
    let texts = this.texts[r];
    if (!texts) {
      texts = new Array(row.length);
      this.texts[r] = texts;
    }
    let t = texts[c];
    if (t === undefined) {
      t = (row[c] ?? "").trim();
      texts[c] = t;
    }
    return t;
  }

  /** What headerOf says of the cell's trimmed text. */
  header(r: number, c: number): H | undefined {
    const row = this.grid.rows[r];
    if (!row || c >= row.length) {
      if (this.emptyHeader === null) this.emptyHeader = this.headerOf(this.text(r, c));
      return this.emptyHeader;
    }
    let known = this.headers[r];
    if (!known) {
      known = new Array(row.length).fill(null);
      this.headers[r] = known;
    }
    let h = known[c];
    if (h === null) {
      h = this.headerOf(this.text(r, c));
      known[c] = h;
    }
    return h;
  }

  /** What zoneOf says of the cell's trimmed text. */
  zone(r: number, c: number): Z | undefined {
    const row = this.grid.rows[r];
    if (!row || c >= row.length) {
      if (this.emptyZone === null) this.emptyZone = this.zoneOf(this.text(r, c));
      return this.emptyZone;
    }
    let known = this.zones[r];
    if (!known) {
      known = new Array(row.length).fill(null);
      this.zones[r] = known;
    }
    let z = known[c];
    if (z === null) {
      z = this.zoneOf(this.text(r, c));
      known[c] = z;
    }
    return z;
  }
}
