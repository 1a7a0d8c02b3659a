import { describe, expect, it } from "vitest";
import { safeNextPath } from "./safe-next-path";

const ORIGIN = "http://localhost:3000";

describe("the page opened after sign-in", () => {
  it.each([
    ["/leads", "/leads"],
    ["/invite/abc_DEF-123", "/invite/abc_DEF-123"],
    ["/campaigns?tab=running#top", "/campaigns?tab=running#top"],
    ["http://localhost:3000/credits", "/credits"],
  ])("follows the same-origin target %j", (next, expected) => {
    expect(safeNextPath(next, ORIGIN)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "//evil.example/campaigns",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    decodeURIComponent("/%09/evil.example"),
    decodeURIComponent("/%0a/evil.example"),
    decodeURIComponent("/%0d%0a/evil.example"),
    "https://evil.example/",
    "http://localhost:3001/campaigns",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    " //evil.example",
  ])("refuses %j, which leaves the site", (next) => {
    expect(safeNextPath(next, ORIGIN)).toBe("/campaigns");
  });

  it("falls back when there is no target", () => {
    expect(safeNextPath(null, ORIGIN)).toBe("/campaigns");
    expect(safeNextPath("", ORIGIN, "/leads")).toBe("/leads");
  });
});
