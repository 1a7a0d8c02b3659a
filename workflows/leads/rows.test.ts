import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseCsvText } from "./csv";
import { guessMapping } from "./mapping";
import { type ImportLead, mergeLeads, readLeadRows, splitFullName } from "./rows";

const SAMPLE = path.resolve(import.meta.dirname, "../../test/fixtures/leads-sample.csv");

function read(text: string) {
  const table = parseCsvText(text);
  return readLeadRows(
    table,
    guessMapping(
      table.header,
      table.rows.slice(0, 50).map((r) => r.cells),
    ),
  );
}

describe("readLeadRows on the sample export", () => {
  const result = read(readFileSync(SAMPLE, "utf8"));

  it("takes 1,000 leads from 1,003 rows: one duplicate merged, two rows refused", () => {
    expect(result.rowCount).toBe(1003);
    expect(result.leads).toHaveLength(1000);
    expect(result.merged).toHaveLength(1);
    expect(result.rejected).toHaveLength(2);
  });

  it("refuses the row without an address and the company page, saying why", () => {
    expect(result.rejected).toEqual([
      { row: 22, profile: "", reasons: ["No LinkedIn profile address."] },
      {
        row: 32,
        profile: "https://www.linkedin.com/company/acme-robotics/",
        reasons: [expect.stringContaining("is a company page, not a person's profile")],
      },
    ]);
  });

  it("merges the repeated profile into its first row", () => {
    expect(result.merged).toEqual([
      { row: 12, into: 5, publicIdentifier: "hiro-obrien-78236", differing: [] },
    ]);
    const hiro = result.leads.find((lead) => lead.publicIdentifier === "hiro-obrien-78236");
    expect(hiro?.rows).toEqual([5, 12]);
  });

  it("reads names with accents and the extra columns as custom fields", () => {
    const chloe = result.leads.find((lead) => lead.publicIdentifier === "chloé-garcía-31495");
    expect(chloe).toMatchObject({
      firstName: "Chloé",
      lastName: "García",
      company: "Helix Bio",
      title: "Chief Revenue Officer",
      custom: { location: "São Paulo", tag: "conference" },
    });
    const uma = result.leads.find((lead) => lead.publicIdentifier === "uma-dubois-4278");
    // An empty cell is no custom field at all, rather than an empty one.
    expect(uma?.custom).toEqual({ location: "Paris" });
  });

  it("gives every lead a distinct canonical identifier", () => {
    const identifiers = result.leads.map((lead) => lead.publicIdentifier);
    expect(new Set(identifiers).size).toBe(identifiers.length);
    expect(identifiers.every((id) => id === id.toLowerCase() && !id.includes("/"))).toBe(true);
  });
});

describe("readLeadRows", () => {
  it("lists every reason a row is refused", () => {
    const result = read(
      `First Name,LinkedIn URL,Title\nAda,https://www.linkedin.com/company/acme,${"x".repeat(201)}\n`,
    );
    expect(result.rejected[0]?.reasons).toEqual([
      expect.stringContaining("is a company page"),
      "Title has 201 characters (at most 200).",
    ]);
  });

  it("refuses a row with more values than columns, an unquoted separator", () => {
    const result = read(
      "Name,LinkedIn URL,Company\nAda Lovelace,linkedin.com/in/ada-lovelace,Analytical, Engines\n",
    );
    expect(result.leads).toEqual([]);
    expect(result.rejected[0]?.reasons).toEqual([
      "Has 4 values where the header has 3 columns: a comma or semicolon inside a value without quotes?",
    ]);
  });

  it("accepts trailing empty values and rows shorter than the header", () => {
    const result = read(
      "LinkedIn URL,Company,Tag\nlinkedin.com/in/ada-lovelace,,,\nlinkedin.com/in/grace-hopper\n",
    );
    expect(result.rejected).toEqual([]);
    expect(result.leads.map((lead) => lead.publicIdentifier)).toEqual([
      "ada-lovelace",
      "grace-hopper",
    ]);
  });

  it("refuses a row papaparse found broken quotes in", () => {
    const result = read('LinkedIn URL,Company\nlinkedin.com/in/ada-lovelace,"Analytical\n');
    expect(result.leads).toEqual([]);
    expect(result.rejected[0]?.reasons[0]).toContain("never closed");
  });

  it("splits a full name when there are no first and last name columns", () => {
    const result = read("Name,LinkedIn\nJean-François de la Tour,jf-de-la-tour\n");
    expect(result.leads[0]).toMatchObject({ firstName: "Jean-François", lastName: "de la Tour" });
  });

  it("merges duplicates: blanks filled from later rows, the first row's values kept", () => {
    const result = read(
      [
        "First Name,Last Name,Company,LinkedIn URL,Tag",
        "Ada,,Analytical Engines,https://www.linkedin.com/in/ada-lovelace/,",
        "Ada,Lovelace,Babbage & Co,linkedin.com/in/Ada-Lovelace?trk=x,vip",
      ].join("\n"),
    );
    expect(result.leads).toEqual([
      {
        publicIdentifier: "ada-lovelace",
        firstName: "Ada",
        lastName: "Lovelace",
        company: "Analytical Engines",
        title: "",
        custom: { tag: "vip" },
        rows: [2, 3],
      },
    ]);
    expect(result.merged).toEqual([
      { row: 3, into: 2, publicIdentifier: "ada-lovelace", differing: ["Company"] },
    ]);
  });

  it("keeps markup in names as plain text: it is data, not HTML", () => {
    const result = read('First Name,LinkedIn\n"<img src=x onerror=alert(1)>",mallory-x\n');
    expect(result.leads[0]?.firstName).toBe("<img src=x onerror=alert(1)>");
  });
});

describe("mergeLeads", () => {
  it("keeps one lead per identifier in first-seen order without changing its input", () => {
    const first = {
      publicIdentifier: "ada",
      firstName: "",
      lastName: "L",
      company: "",
      title: "",
      custom: { a: "1" },
    };
    const leads: ImportLead[] = [
      first,
      { ...first, publicIdentifier: "bob", custom: {} },
      { ...first, firstName: "Ada", custom: { a: "2", b: "3" } },
    ];
    const merged = mergeLeads(leads);
    expect(merged.map((lead) => lead.publicIdentifier)).toEqual(["ada", "bob"]);
    expect(merged[0]).toMatchObject({ firstName: "Ada", custom: { a: "1", b: "3" } });
    expect(first).toMatchObject({ firstName: "", custom: { a: "1" } });
  });
});

describe("splitFullName", () => {
  it.each([
    ["Ada", { firstName: "Ada", lastName: "" }],
    ["Ada Lovelace", { firstName: "Ada", lastName: "Lovelace" }],
    ["Mary Ann Evans", { firstName: "Mary", lastName: "Ann Evans" }],
  ])("%j", (name, parts) => {
    expect(splitFullName(name)).toEqual(parts);
  });
});
