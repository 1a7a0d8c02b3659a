import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  CsvFileError,
  decodeCsvBytes,
  parseCsvFile,
  parseCsvText,
  parseCsvTextInChunks,
} from "./csv";

const SAMPLE = path.resolve(import.meta.dirname, "../../test/fixtures/leads-sample.csv");

describe("parseCsvText", () => {
  it("drops the byte-order mark from the first header", () => {
    const table = parseCsvText("\uFEFFFirst Name,LinkedIn URL\r\nAda,linkedin.com/in/ada\r\n");
    expect(table.header).toEqual(["First Name", "LinkedIn URL"]);
    expect(table.rows).toEqual([{ number: 2, cells: ["Ada", "linkedin.com/in/ada"] }]);
  });

  it("detects semicolons, as European spreadsheets write CSV", () => {
    const table = parseCsvText(
      'Prénom;Nom;Entreprise\nChloé;García;"Helix; Bio"\nÉlodie;Hansen;Kestrel Capital\n',
    );
    expect(table.delimiter).toBe(";");
    expect(table.header).toEqual(["Prénom", "Nom", "Entreprise"]);
    expect(table.rows.map((row) => row.cells)).toEqual([
      ["Chloé", "García", "Helix; Bio"],
      ["Élodie", "Hansen", "Kestrel Capital"],
    ]);
  });

  it("detects tabs", () => {
    const table = parseCsvText("name\turl\nAda\tlinkedin.com/in/ada\n");
    expect(table.delimiter).toBe("\t");
    expect(table.rows[0]?.cells).toEqual(["Ada", "linkedin.com/in/ada"]);
  });

  it("keeps separators, doubled quotes and line breaks inside quoted values", () => {
    const table = parseCsvText(
      'name,company,note\r\n"Lovelace, Ada","The ""Analytical"" Engine Co","line one\r\nline two"\r\nGrace,Navy,x\r\n',
    );
    expect(table.rows.map((row) => row.cells)).toEqual([
      ["Lovelace, Ada", 'The "Analytical" Engine Co', "line one\r\nline two"],
      ["Grace", "Navy", "x"],
    ]);
    // Rows count records, as a spreadsheet does, not physical lines.
    expect(table.rows.map((row) => row.number)).toEqual([2, 3]);
  });

  it("skips blank lines but keeps the numbering of the rows after them", () => {
    const table = parseCsvText("name,url\n\nAda,a\n  ,  \nGrace,g\n\n");
    expect(table.rows).toEqual([
      { number: 3, cells: ["Ada", "a"] },
      { number: 5, cells: ["Grace", "g"] },
    ]);
  });

  it("reports a quote left open on the row it starts", () => {
    const table = parseCsvText('name,url\nAda,a\n"Grace,g\nAlan,t\n');
    expect(table.problems).toEqual([{ row: 3, message: expect.stringContaining("never closed") }]);
  });

  it("refuses an empty file and one past the row limit", () => {
    expect(() => parseCsvText("")).toThrow(CsvFileError);
    expect(() => parseCsvText("\r\n\r\n")).toThrow("The file is empty.");
    const rows = Array.from({ length: 11 }, (_, i) => `lead-${i},x`).join("\n");
    expect(() => parseCsvText(`name,url\n${rows}`, { maxRows: 10 })).toThrow("more than 10 rows");
  });

  it("reads the sample export: 1,003 rows of 7 columns", () => {
    const table = parseCsvText(readFileSync(SAMPLE, "utf8"));
    expect(table.header).toEqual([
      "First Name",
      "Last Name",
      "Company",
      "Title",
      "LinkedIn URL",
      "Location",
      "Tag",
    ]);
    expect(table.rows).toHaveLength(1003);
    expect(table.rows.every((row) => row.cells.length === 7)).toBe(true);
    expect(table.problems).toEqual([]);
  });
});

describe("parseCsvTextInChunks", () => {
  it("gives the same table as a one-go parse, with quoted line breaks across chunk ends", async () => {
    // Quoted line breaks everywhere, and chunks small enough that many fall inside them.
    const text = readFileSync(SAMPLE, "utf8").replace(/,Paris,/g, ',"Pa\r\nris, FR",');
    const progress: number[] = [];
    const chunked = await parseCsvTextInChunks(text, {
      chunkSize: 1000,
      onProgress: (fraction) => progress.push(fraction),
    });
    expect(chunked).toEqual(parseCsvText(text));
    expect(chunked.rows.some((row) => row.cells.includes("Pa\r\nris, FR"))).toBe(true);
    expect(progress.length).toBeGreaterThan(50);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(1);
  });

  it("numbers a problem found in a later chunk by its row in the file", async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `Lead ${i},linkedin.com/in/lead-${i}`);
    rows[150] = '"Lead 150,linkedin.com/in/lead-150';
    const table = await parseCsvTextInChunks(`name,url\n${rows.join("\n")}\n`, {
      chunkSize: 512,
    });
    expect(table.problems.map((p) => p.row)).toEqual([152]);
  });

  it("stops with an AbortError when cancelled", async () => {
    const controller = new AbortController();
    const text = `name,url\n${Array.from({ length: 5000 }, (_, i) => `L${i},u${i}`).join("\n")}`;
    const parsing = parseCsvTextInChunks(text, {
      chunkSize: 1000,
      signal: controller.signal,
      onProgress: (fraction) => {
        if (fraction > 0.2) controller.abort();
      },
    });
    await expect(parsing).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("decodeCsvBytes and parseCsvFile", () => {
  it("reads UTF-8 with and without a byte-order mark alike", () => {
    const text = "name\nChloé\n";
    const plain = new TextEncoder().encode(text);
    const withMark = new Uint8Array([0xef, 0xbb, 0xbf, ...plain]);
    expect(decodeCsvBytes(plain)).toBe(text);
    expect(decodeCsvBytes(withMark)).toBe(text);
  });

  it("falls back to Windows-1252 for bytes that are not UTF-8", () => {
    // "Chloé" as Excel on Windows saves it: é is the single byte 0xE9.
    const bytes = new Uint8Array([0x43, 0x68, 0x6c, 0x6f, 0xe9]);
    expect(decodeCsvBytes(bytes)).toBe("Chloé");
  });

  it("reads UTF-16 with its mark", () => {
    const text = "name\nÉlodie\n";
    const units = [0xff, 0xfe];
    for (const char of text) units.push(char.charCodeAt(0) & 0xff, char.charCodeAt(0) >> 8);
    expect(decodeCsvBytes(new Uint8Array(units))).toBe(text);
  });

  it("parses a picked file the way it parses text", async () => {
    const bytes = readFileSync(SAMPLE);
    const table = await parseCsvFile(new Blob([bytes]));
    expect(table).toEqual(parseCsvText(bytes.toString("utf8")));
  });
});
