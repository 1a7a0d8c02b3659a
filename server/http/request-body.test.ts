import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it, vi } from "vitest";
import { describeFailure, HttpError, toErrorBody } from "./errors";
import { checkInputShape, parseJsonYielding, readBodyText } from "./request-body";

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error as HttpError;
  }
  throw new Error("not refused");
};

describe("request bodies", () => {
  it("parses large bodies in slices to the same value as JSON.parse, and refuses what it refuses", async () => {
    const value = {
      leads: Array.from({ length: 5000 }, (_, i) => ({
        publicIdentifier: `p-${i}`,
        firstName: `Name "quoted" \\ ${i} ] } {`,
        custom: { list: [1, -2.5e3, true, null, "x,y"], nested: { a: [] } },
      })),
      empty: [],
      __proto__: { polluted: true },
      campaignId: "c1",
      flag: false,
    };
    const text = JSON.stringify(value, null, 1);
    expect(text.length).toBeGreaterThan(256 * 1024);
    const parsed = await parseJsonYielding(text);
    expect(parsed).toEqual(JSON.parse(text));
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    for (const broken of [
      `${text.slice(0, -1)}`,
      `${text}x`,
      text.replace('"campaignId"', "campaignId"),
      text.replace('"flag": false', '"flag": fals'),
      text.replace("},\n  {", "}\n  {"),
    ]) {
      await expect(parseJsonYielding(broken)).rejects.toMatchObject({ status: 400 });
    }
  });

  it("gives other work turns while it parses a large body", async () => {
    const text = JSON.stringify({
      leads: Array.from({ length: 40_000 }, (_, i) => ({ publicIdentifier: `p-${i}`, n: i })),
    });
    let turns = 0;
    let parsing = true;
    const tick = () => {
      turns += 1;
      if (parsing) setImmediate(tick);
    };
    setImmediate(tick);
    const parsed = (await parseJsonYielding(text)) as { leads: unknown[] };
    parsing = false;
    expect(parsed.leads).toHaveLength(40_000);
    expect(turns).toBeGreaterThan(1);
  });

  it("stops reading a stream without Content-Length as soon as it passes the limit", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new Uint8Array(1024));
      },
    });
    const request = new Request("http://localhost/x", {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    await expect(readBodyText(request, 64 * 1024)).rejects.toMatchObject({
      status: 413,
      code: "too_large",
    });
    expect(pulled).toBeLessThan(70);
  });

  it("answers an upload cut short by its client as cancelled (499), not as a failure", async () => {
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent < 3) controller.enqueue(new TextEncoder().encode('{"leads":['));
        else controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" }));
      },
    });
    const request = new Request("http://localhost/x", {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const failure = await readBodyText(request, 64 * 1024).catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 499, code: "cancelled" });
    expect(toErrorBody(failure).status).toBe(499);
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
  });

  it("refuses NUL in any text or key, and deep nesting, with 400", () => {
    expect(() => checkInputShape({ name: "fine", list: ["ok", { x: 1 }] })).not.toThrow();
    const inValue = refusal(() => checkInputShape({ a: { b: ["ok", "no\u0000"] } }));
    expect(inValue.status).toBe(400);
    expect(inValue.fieldErrors).toHaveProperty(["a.b.1"]);
    expect(refusal(() => checkInputShape({ "k\u0000": 1 })).status).toBe(400);
    let deep: unknown = "bottom";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const tooDeep = refusal(() => checkInputShape({ deep }));
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.code).toBe("too_deep");
  });
});

describe("logging a failure", () => {
  it("never logs a failed query's parameters or quoted values, only what failed and where", () => {
    const cause = Object.assign(
      new Error('invalid input syntax for type uuid: "Grace Hopper <grace@navy.mil>"'),
      { code: "22P02" },
    );
    const error = new DrizzleQueryError(
      'insert into "lead" ("first_name", "email") values ($1, $2)',
      ["Grace", "grace@navy.mil"],
      cause,
    );
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const { status } = toErrorBody(error);
    expect(status).toBe(500);
    const output = logged.mock.calls.flat().map(String).join("\n");
    logged.mockRestore();
    expect(output).toContain("Failed query");
    expect(output).toContain('"lead"');
    expect(output).toContain("22P02");
    expect(output).not.toContain("Grace");
    expect(output).not.toContain("navy");
    expect(describeFailure("a string")).toBe("a thrown string");
  });

  it("leaves errors meant for the caller unlogged", () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(toErrorBody(new HttpError(400, "bad", "Bad")).status).toBe(400);
    expect(logged).not.toHaveBeenCalled();
    logged.mockRestore();
  });
});
