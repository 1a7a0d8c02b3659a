/**
 * `outflow classify-replies`: one reply per line on standard input, one JSON object per line on
 * standard output, in the same order:
 *   {"category":"out_of_office","language":"fr","returnDate":"2026-03-02","referral":null}
 * An empty line is a reply without words: {"category":"other","language":"und",…}, so that
 * output line N always answers input line N. A literal "\n" (backslash, n) in a line is a line
 * break inside the reply (for quoted messages and signatures).
 */
import { parseArgs } from "node:util";
import { classifyReply, isoDate, parseIsoDate } from "../../workflows/replies/index";
import { type Command, EXIT_CODES } from "../command";

const USAGE = "classify-replies [--reference-date YYYY-MM-DD] < replies.txt";

function readArguments(args: readonly string[]): { referenceDate: string } | string {
  let values: { "reference-date"?: string };
  try {
    const parsed = parseArgs({
      args: [...args],
      allowPositionals: false,
      options: { "reference-date": { type: "string" } },
    });
    values = parsed.values;
  } catch (error) {
    return error instanceof Error ? error.message : "bad arguments";
  }
  const given = values["reference-date"];
  if (given === undefined) return { referenceDate: isoDate(new Date()) };
  if (parseIsoDate(given) === null) {
    return `--reference-date takes a date as YYYY-MM-DD, got “${given}”`;
  }
  return { referenceDate: given };
}

export const classifyRepliesCommand: Command = {
  name: "classify-replies",
  summary: "Classify replies read one per line from standard input; prints one JSON line each",
  usage: USAGE,
  async run(args, io) {
    const options = readArguments(args);
    if (typeof options === "string") {
      io.stderr(`outflow classify-replies: ${options}\nUsage: outflow ${USAGE}`);
      return EXIT_CODES.unusable;
    }
    if (io.readLines === undefined) {
      io.stderr("outflow classify-replies: no standard input to read.");
      return EXIT_CODES.unusable;
    }
    for await (const line of io.readLines()) {
      const text = line.replace(/\r$/, "").replaceAll("\\n", "\n");
      const { category, language, returnDate, referral } = classifyReply(text, options);
      io.stdout(JSON.stringify({ category, language, returnDate, referral }));
    }
    return EXIT_CODES.ok;
  },
};
