import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { runCli } from "./run";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: (text: string) => out.push(text),
      stderr: (text: string) => err.push(text),
      readFile: async () => "",
    },
  };
}

describe("outflow openapi", () => {
  it("prints a valid OpenAPI 3.1 document for the given server", async () => {
    const { out, io } = capture();
    expect(await runCli(["openapi", "--server", "https://outflow.example.com/"], io)).toBe(0);
    const document = JSON.parse(out.join(""));
    expect(document.servers).toEqual([{ url: "https://outflow.example.com/api/v1" }]);
    expect((await new Validator().validate(document)).valid).toBe(true);
  });

  it("refuses unknown arguments with exit code 2", async () => {
    const { err, io } = capture();
    expect(await runCli(["openapi", "--yaml"], io)).toBe(2);
    expect(err.join("")).toContain("Usage: outflow openapi");
  });
});
