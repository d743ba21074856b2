/**
 * The hidden marker sheet of the bot's report form: it names the programme year, quarter and bureau so
 * a returned file is recognised, and maps each input column to its indicator key (so renamed headers
 * still read). Cells: A1 = MARKER, then key/value rows; after "columns", one row per input column.
 */
export const FORM_MARKER_SHEET = "_kaiqu";
export const FORM_MARKER = "kaiqu-report-form";
export const FORM_VERSION = "1";
/** The sheet the bureau fills in. */
export const FORM_SHEET = "填报";
/** Row (1-based) of the column headers in the form sheet; data rows follow. */
export const FORM_HEADER_ROW = 3;

export interface FormMarker {
  year: number;
  quarter: number;
  prefectureCode: string;
  /** Column letter → indicator key of each input column. */
  columns: Record<string, string>;
}
