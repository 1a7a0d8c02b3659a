/**
 * CSV files as lead tools and spreadsheets write them, parsed with papaparse: UTF-8 with or
 * without a byte-order mark (or Windows-1252 / UTF-16 from older spreadsheet software), comma,
 * semicolon, tab or pipe separated, quoted values holding separators, quotes and line breaks.
 * Large files are parsed in chunks with a progress callback, yielding between chunks so a page
 * can repaint its progress bar.
 */
import Papa, { type ParseError, type ParseResult, type Parser } from "papaparse";

export interface CsvProblem {
  /** The row, numbered as a spreadsheet shows the file (the header is row 1). */
  row: number;
  message: string;
}

export interface CsvRow {
  number: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  /** Data rows after the header; blank lines are skipped but keep their numbers. */
  rows: CsvRow[];
  delimiter: string;
  problems: CsvProblem[];
}

/** A file that cannot be read as a table at all. */
export class CsvFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CsvFileError";
  }
}

export const CSV_DELIMITERS = [",", ";", "\t", "|"];
export const DEFAULT_MAX_ROWS = 20_000;
const CHUNK_SIZE = 64 * 1024;

const QUOTE_PROBLEMS: Record<string, string> = {
  MissingQuotes: "A quoted value is never closed: the rest of the file may have been read into it.",
  InvalidQuotes: 'A quote inside a quoted value is not doubled (write "" for ").',
};

/**
 * Text from a file's bytes: UTF-8 (its byte-order mark dropped), UTF-16 when it starts with a
 * UTF-16 mark, and Windows-1252 when the bytes are not valid UTF-8 (Excel's "CSV" on Windows).
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/**
 * The separator: of the candidates, the one that splits the header into several columns and
 * the first rows into as many; ties go to the one giving more columns. papaparse's own guess
 * misses tab-separated files and short files, hence this one (still parsing with papaparse, so
 * quoted separators do not count).
 */
export function guessDelimiter(text: string): string {
  const head = text.slice(0, CHUNK_SIZE);
  let best = { delimiter: ",", agreement: 0, columns: 1 };
  for (const delimiter of CSV_DELIMITERS) {
    const records = Papa.parse<string[]>(head, {
      delimiter,
      preview: 50,
      skipEmptyLines: "greedy",
    }).data;
    // The last record of a cut-off head may be partial.
    const complete =
      records.length > 1 && head.length < text.length ? records.slice(0, -1) : records;
    const columns = complete[0]?.length ?? 0;
    if (columns < 2) continue;
    const agreement =
      complete.filter((record) => record.length === columns).length / complete.length;
    if (agreement > best.agreement || (agreement === best.agreement && columns > best.columns)) {
      best = { delimiter, agreement, columns };
    }
  }
  return best.delimiter;
}

const isBlank = (record: string[]) => record.every((cell) => cell.trim().length === 0);

/** Collects parsed records into a table: the header, numbered rows, and problems. */
class TableBuilder {
  header: string[] | null = null;
  rows: CsvRow[] = [];
  problems: CsvProblem[] = [];
  private records = 0;
  private reported = new Set<string>();

  constructor(
    readonly delimiter: string,
    private readonly maxRows: number,
  ) {}

  add(records: string[][], errors: ParseError[]) {
    const first = this.records;
    for (const record of records) {
      this.records++;
      if (isBlank(record)) continue;
      if (this.header === null) {
        this.header = record.map((cell) => cell.replace(/^\uFEFF/, "").trim());
        continue;
      }
      this.rows.push({ number: this.records, cells: record });
      if (this.rows.length > this.maxRows) {
        throw new CsvFileError(
          `The file has more than ${this.maxRows.toLocaleString("en-US")} rows: split it and import the parts one after the other.`,
        );
      }
    }
    // papaparse numbers errors within the records it just returned.
    if (records.length === 0) return;
    for (const error of errors) {
      const message = error.code ? QUOTE_PROBLEMS[error.code] : undefined;
      if (!message || error.row === undefined) continue;
      const row = first + error.row + 1;
      const key = `${row}:${error.code}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      this.problems.push({ row, message });
    }
  }

  finish(): CsvTable {
    if (this.header === null) throw new CsvFileError("The file is empty.");
    if (this.header.every((cell) => cell.length === 0)) {
      throw new CsvFileError("The first line of the file should name the columns.");
    }
    return {
      header: this.header,
      rows: this.rows,
      delimiter: this.delimiter,
      problems: this.problems,
    };
  }
}

export interface ParseCsvOptions {
  maxRows?: number;
  /** Called with the share of the text parsed so far, from 0 to 1. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
  chunkSize?: number;
}

/** Parses a whole text at once (servers, tests, benchmarks). */
export function parseCsvText(text: string, options: { maxRows?: number } = {}): CsvTable {
  const delimiter = guessDelimiter(text);
  const builder = new TableBuilder(delimiter, options.maxRows ?? DEFAULT_MAX_ROWS);
  const result = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false });
  builder.add(result.data, result.errors);
  return builder.finish();
}

function aborted(): DOMException {
  return new DOMException("The file reading was cancelled.", "AbortError");
}

/**
 * Parses a text chunk by chunk, reporting progress and giving the event loop a turn between
 * chunks; rejects with an AbortError when the signal fires.
 */
export function parseCsvTextInChunks(text: string, options: ParseCsvOptions = {}) {
  const delimiter = guessDelimiter(text);
  const builder = new TableBuilder(delimiter, options.maxRows ?? DEFAULT_MAX_ROWS);
  const length = Math.max(text.length, 1);
  return new Promise<CsvTable>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      reject(error);
    };
    if (options.signal?.aborted) return fail(aborted());
    Papa.parse<string[]>(text, {
      delimiter,
      skipEmptyLines: false,
      chunkSize: options.chunkSize ?? CHUNK_SIZE,
      chunk(results: ParseResult<string[]>, parser: Parser) {
        if (settled) return;
        if (options.signal?.aborted) {
          parser.abort();
          return fail(aborted());
        }
        try {
          builder.add(results.data, results.errors);
        } catch (error) {
          parser.abort();
          return fail(error);
        }
        options.onProgress?.(Math.min(results.meta.cursor / length, 1));
        parser.pause();
        setTimeout(() => parser.resume(), 0);
      },
      complete() {
        if (settled) return;
        if (options.signal?.aborted) return fail(aborted());
        try {
          const table = builder.finish();
          options.onProgress?.(1);
          settled = true;
          resolve(table);
        } catch (error) {
          fail(error);
        }
      },
    });
  });
}

/** Reads a file the user picked (or any Blob) and parses it in chunks. */
export async function parseCsvFile(file: Blob, options: ParseCsvOptions = {}): Promise<CsvTable> {
  const text = decodeCsvBytes(new Uint8Array(await file.arrayBuffer()));
  return parseCsvTextInChunks(text, options);
}
