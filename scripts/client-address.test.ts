import { describe, expect, it } from "vitest";
import { applyClientAddress, trustedProxyList } from "./client-address.mjs";

describe("5. the client address comes from the connection unless a trusted proxy forwards", () => {
  it("a client's own X-Forwarded-For is replaced by its connection's address", () => {
    const headers: Record<string, string> = {
      "x-forwarded-for": "198.18.0.99",
      "x-real-ip": "198.18.0.98",
      "x-forwarded-proto": "https",
      host: "localhost:3000",
    };
    applyClientAddress(headers, "203.0.113.5", trustedProxyList(undefined));
    expect(headers).toEqual({ "x-forwarded-for": "203.0.113.5", host: "localhost:3000" });
  });

  it("without the header the connection's address is set, IPv4-mapped addresses unwrapped", () => {
    const headers: Record<string, string> = {};
    applyClientAddress(headers, "::ffff:203.0.113.6", trustedProxyList(""));
    expect(headers["x-forwarded-for"]).toBe("203.0.113.6");
  });

  it("a configured proxy's chain is kept and the proxy appended, for the limiter to walk", () => {
    const trusted = trustedProxyList("10.0.0.0/8, 2001:db8::1");
    const headers: Record<string, string> = {
      "x-forwarded-for": "198.18.0.1, 203.0.113.7",
      "x-forwarded-proto": "https",
    };
    applyClientAddress(headers, "10.1.2.3", trusted);
    expect(headers["x-forwarded-for"]).toBe("198.18.0.1, 203.0.113.7, 10.1.2.3");
    expect(headers["x-forwarded-proto"]).toBe("https");
    const v6: Record<string, string> = { "x-forwarded-for": "203.0.113.8" };
    applyClientAddress(v6, "2001:db8::1", trusted);
    expect(v6["x-forwarded-for"]).toBe("203.0.113.8, 2001:db8::1");
  });

  it("an address outside the configured ranges is not a proxy", () => {
    const headers: Record<string, string> = { "x-forwarded-for": "198.18.0.1" };
    applyClientAddress(headers, "11.0.0.1", trustedProxyList("10.0.0.0/8"));
    expect(headers["x-forwarded-for"]).toBe("11.0.0.1");
  });

  it("refuses a malformed setting at start", () => {
    expect(() => trustedProxyList("proxy.internal")).toThrow(/OUTFLOW_TRUSTED_PROXIES/);
  });
});
