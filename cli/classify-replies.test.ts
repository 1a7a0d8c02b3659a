import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CommandIo } from "./command";
import { runCli } from "./run";

const binary = path.resolve(import.meta.dirname, "../bin/outflow.mjs");

function outflow(input: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [binary, "classify-replies", ...args], {
    encoding: "utf8",
    input,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

async function runInProcess(args: string[], lines?: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CommandIo = {
    stdout: (text) => {
      stdout += `${text}\n`;
    },
    stderr: (text) => {
      stderr += `${text}\n`;
    },
    readFile: async () => {
      throw new Error("classify-replies reads no file");
    },
    ...(lines === undefined
      ? {}
      : {
          async *readLines() {
            yield* lines;
          },
        }),
  };
  const code = await runCli(["classify-replies", ...args], io);
  return { code, stdout, stderr };
}

const parseLines = (stdout: string) =>
  stdout
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line));

describe("outflow classify-replies (as a process)", () => {
  it("prints one JSON object per input line, in order, and exits 0", () => {
    const input = [
      "Je suis absent jusqu'au 3 mars.",
      "I'm not the right person, please contact Jane Doe.",
      "Bitte kontaktieren Sie mich nicht mehr.",
      "Me interesa, ¿cuándo podemos hablar?",
      "No thanks, we're all set.",
      "Thanks for connecting!",
    ].join("\n");
    const run = outflow(input, "--reference-date", "2026-02-16");
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(parseLines(run.stdout)).toEqual([
      { category: "out_of_office", language: "fr", returnDate: "2026-03-03", referral: null },
      { category: "referral", language: "en", returnDate: null, referral: "Jane Doe" },
      { category: "unsubscribe", language: "de", returnDate: null, referral: null },
      { category: "interested", language: "es", returnDate: null, referral: null },
      { category: "not_interested", language: "en", returnDate: null, referral: null },
      { category: "other", language: "en", returnDate: null, referral: null },
    ]);
  }, 60_000);

  it("exits 2 with a clear message for a bad reference date", () => {
    const run = outflow("hello", "--reference-date", "2026-02-30");
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("--reference-date takes a date as YYYY-MM-DD");
    expect(run.stderr).toContain("Usage: outflow classify-replies");
  }, 60_000);

  it("prints nothing and exits 0 for empty input", () => {
    const run = outflow("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
  }, 60_000);
});

describe("outflow classify-replies (in process)", () => {
  it("reads dates against --reference-date: a date without a year is the next one", async () => {
    const text = "Bonjour, je suis en vacances, de retour le 3 janvier.";
    const run = await runInProcess(["--reference-date", "2026-12-20"], [text]);
    expect(run.code).toBe(0);
    expect(parseLines(run.stdout)[0].returnDate).toBe("2027-01-03");
  });

  it("exits 2 for a bad reference date, an unknown option or an argument", async () => {
    for (const args of [
      ["--reference-date", "tomorrow"],
      ["--reference-date"],
      ["--colour"],
      ["replies.txt"],
    ]) {
      const run = await runInProcess(args, ["hello"]);
      expect(run.code, args.join(" ")).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("Usage: outflow classify-replies");
    }
  });

  it("answers an empty line with category other, so output line N answers input line N", async () => {
    const run = await runInProcess(
      ["--reference-date", "2026-02-16"],
      ["Sounds good, let's talk", "", "   ", "STOP"],
    );
    expect(run.code).toBe(0);
    expect(parseLines(run.stdout).map((line) => [line.category, line.language])).toEqual([
      ["interested", "en"],
      ["other", "und"],
      ["other", "und"],
      ["unsubscribe", "und"],
    ]);
  });

  it("reads a literal \\n as a line break: a quoted message below it is not the reply", async () => {
    const run = await runInProcess(
      ["--reference-date", "2026-02-16"],
      ["Not interested, thanks.\\n\\n> On Mon, Paul wrote:\\n> Interested in a demo?\r"],
    );
    expect(parseLines(run.stdout)[0].category).toBe("not_interested");
  });

  it("defaults the reference date to today", async () => {
    const run = await runInProcess([], ["I'm out of office until tomorrow."]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(parseLines(run.stdout)[0]).toMatchObject({ category: "out_of_office" });
    // Near midnight UTC "today" may turn between the two clocks: allow the day after too.
    const after = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect([tomorrow, after]).toContain(parseLines(run.stdout)[0].returnDate);
  });

  it("exits 2 where there is no standard input to read", async () => {
    const run = await runInProcess([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no standard input");
  });

  it("is listed in the help", async () => {
    const run = await runCli(["help"], {
      stdout: (text) => expect(text).toContain("classify-replies [--reference-date YYYY-MM-DD]"),
      stderr: () => {},
      readFile: async () => "",
    });
    expect(run).toBe(0);
  });
});
