/**
 * Bounds applied to every inbound file before any parsing work. Defaults fit a bureau's quarterly
 * workbook (a few sheets, tens of rows) with a wide margin; a hostile file is refused long before it
 * costs memory or time.
 */
export interface FileLimits {
  /** Size of the file as received (FILE_MAX_BYTES). */
  maxBytes: number;
  /** Sum of the declared uncompressed sizes of every entry of an xlsx (zip) archive. */
  maxUncompressedBytes: number;
  /** Uncompressed ÷ compressed size above which an entry (larger than 1 MiB uncompressed) is a bomb. */
  maxCompressionRatio: number;
  /** Entries of an xlsx archive. */
  maxZipEntries: number;
  /** Worksheets of a workbook. */
  maxSheets: number;
  /** Rows and columns of one sheet, and non-empty cells of the whole file. */
  maxRows: number;
  maxColumns: number;
  maxCells: number;
  /** Characters of one cell (Excel's own limit is 32 767). */
  maxCellChars: number;
}

export const DEFAULT_FILE_LIMITS: FileLimits = {
  maxBytes: 5 * 1024 * 1024,
  maxUncompressedBytes: 50 * 1024 * 1024,
  maxCompressionRatio: 200,
  maxZipEntries: 500,
  maxSheets: 50,
  maxRows: 5_000,
  maxColumns: 200,
  maxCells: 200_000,
  maxCellChars: 32_767,
};

export function fileLimits(maxBytes?: number): FileLimits {
  return maxBytes === undefined ? DEFAULT_FILE_LIMITS : { ...DEFAULT_FILE_LIMITS, maxBytes };
}

export type FileRefusalCode =
  | "empty"
  | "too_large"
  | "not_spreadsheet"
  | "encrypted"
  | "zip_bomb"
  | "too_many_sheets"
  | "too_many_cells"
  | "cell_too_long"
  | "corrupt";

/** A file refused before or while reading it; `message` is the Chinese reply to the sender. */
export class FileRefusal extends Error {
  constructor(
    readonly code: FileRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = "FileRefusal";
  }
}

/** "5 MB", "320 KB" */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} 字节`;
}

export const ACCEPTED_FILES = "Excel 工作簿（.xlsx、.xls）或 CSV 文件";
