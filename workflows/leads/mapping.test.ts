import { describe, expect, it } from "vitest";
import { type ColumnMapping, customKeyFor, guessMapping, mappingProblems } from "./mapping";

const targets = (mapping: ColumnMapping[]) => mapping.map((m) => m.target);

describe("guessMapping", () => {
  it("recognises the sample export's columns and keeps the rest as custom fields", () => {
    const mapping = guessMapping([
      "First Name",
      "Last Name",
      "Company",
      "Title",
      "LinkedIn URL",
      "Location",
      "Tag",
    ]);
    expect(mapping).toEqual([
      { target: "firstName", customKey: "firstName" },
      { target: "lastName", customKey: "lastName" },
      { target: "company", customKey: "company" },
      { target: "title", customKey: "title" },
      { target: "profile", customKey: "linkedinUrl" },
      { target: "custom", customKey: "location" },
      { target: "custom", customKey: "tag" },
    ]);
  });

  it("reads other tools' words, camelCase and French headers", () => {
    expect(
      targets(guessMapping(["firstName", "lastName", "profileUrl", "companyName", "jobTitle"])),
    ).toEqual(["firstName", "lastName", "profile", "company", "title"]);
    expect(targets(guessMapping(["Prénom", "Nom", "Société", "Poste", "Profil LinkedIn"]))).toEqual(
      ["firstName", "lastName", "company", "title", "profile"],
    );
    expect(targets(guessMapping(["Full Name", "Person Linkedin Url", "Organization"]))).toEqual([
      "fullName",
      "profile",
      "company",
    ]);
  });

  it("never takes a company's LinkedIn address for the person's profile", () => {
    expect(
      targets(guessMapping(["Name", "Company LinkedIn URL", "Company", "LinkedIn Profile"])),
    ).toEqual(["fullName", "custom", "company", "profile"]);
  });

  it("finds the profile column by its values when no header names it", () => {
    const header = ["Who", "Where", "Link"];
    const rows = [
      ["Ada", "London", "https://www.linkedin.com/in/ada-lovelace"],
      ["Grace", "Arlington", "linkedin.com/in/grace-hopper/"],
      ["Alan", "Wilmslow", ""],
    ];
    expect(targets(guessMapping(header, rows))).toEqual(["custom", "custom", "profile"]);
  });

  it("gives each column one target at most once, the first column winning", () => {
    expect(targets(guessMapping(["Company", "Company"]))).toEqual(["company", "custom"]);
  });

  it("drops a full-name column when first and last names are there", () => {
    expect(targets(guessMapping(["Name", "First Name", "Last Name", "URL linkedin"]))).toEqual([
      "custom",
      "firstName",
      "lastName",
      "profile",
    ]);
  });

  it("ignores unnamed columns", () => {
    expect(targets(guessMapping(["LinkedIn", ""]))).toEqual(["profile", "ignore"]);
  });

  it("makes distinct custom keys for columns of the same name", () => {
    const mapping = guessMapping(["LinkedIn", "Tag", "Tag"]);
    expect(mapping.map((m) => m.customKey)).toEqual(["linkedin", "tag", "tag2"]);
  });
});

describe("customKeyFor", () => {
  it.each([
    ["Company size", "companySize"],
    ["Région", "region"],
    ["e-mail address", "eMailAddress"],
    ["2024 revenue", "field2024Revenue"],
    ["!!!", "column4"],
  ])("%j → %s", (header, key) => {
    expect(customKeyFor(header, 3)).toBe(key);
  });
});

describe("mappingProblems", () => {
  it("wants exactly one profile column", () => {
    expect(mappingProblems([{ target: "firstName", customKey: "a" }])).toEqual([
      "Pick the column that holds the LinkedIn profile addresses.",
    ]);
    expect(
      mappingProblems([
        { target: "profile", customKey: "a" },
        { target: "profile", customKey: "b" },
      ]),
    ).toEqual([expect.stringContaining("Only one column")]);
  });

  it("refuses custom keys templates cannot name, and the same key twice", () => {
    expect(
      mappingProblems([
        { target: "profile", customKey: "p" },
        { target: "custom", customKey: "1st" },
        { target: "custom", customKey: "tag" },
        { target: "custom", customKey: "tag" },
      ]),
    ).toEqual([
      expect.stringContaining('"1st" cannot name a custom field'),
      'Two columns are both the custom field "tag".',
    ]);
  });

  it("accepts the guessed mapping of the sample export", () => {
    expect(mappingProblems(guessMapping(["First Name", "LinkedIn URL", "Tag"]))).toEqual([]);
  });
});
