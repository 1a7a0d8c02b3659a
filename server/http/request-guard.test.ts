import { describe, expect, it } from "vitest";
import { guardApiWrite } from "./request-guard";

const ORIGIN = "http://localhost:3000";
const env = { BETTER_AUTH_URL: ORIGIN } as unknown as NodeJS.ProcessEnv;

function request(path: string, method: string, headers: Record<string, string>, body?: string) {
  return new Request(`${ORIGIN}${path}`, { method, headers, body });
}

describe("6. the guard in front of the route handlers", () => {
  it.each(["GET", "HEAD", "OPTIONS"])("lets %s through whatever its origin", (method) => {
    expect(
      guardApiWrite(request("/api/workspace", method, { origin: "https://evil.example" }), env),
    ).toBeNull();
  });

  it.each(["POST", "PUT", "PATCH", "DELETE"])("refuses a cross-origin %s (403)", (method) => {
    const refused = guardApiWrite(
      request("/api/campaigns/c1", method, {
        origin: "http://localhost:3001",
        "content-type": "application/json",
      }),
      env,
    );
    expect(refused?.status).toBe(403);
  });

  it("refuses a browser's cross-site call without Origin, and a write with neither header", () => {
    const crossSite = request("/api/leads", "POST", {
      "sec-fetch-site": "cross-site",
      "content-type": "application/json",
    });
    expect(guardApiWrite(crossSite, env)?.status).toBe(403);
    const bare = request("/api/leads", "POST", { "content-type": "application/json" }, "{}");
    expect(guardApiWrite(bare, env)?.status).toBe(403);
  });

  it("a same-origin write must send JSON when it has a body (415), and may send nothing", () => {
    const form = request(
      "/api/leads",
      "POST",
      { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      "a=1",
    );
    expect(guardApiWrite(form, env)?.status).toBe(415);
    const multipart = request(
      "/api/leads",
      "POST",
      { origin: ORIGIN, "content-type": "multipart/form-data; boundary=x" },
      "--x--",
    );
    expect(guardApiWrite(multipart, env)?.status).toBe(415);
    const json = request(
      "/api/leads",
      "POST",
      {
        origin: ORIGIN,
        "content-type": "application/json; charset=utf-8",
        "sec-fetch-site": "same-origin",
      },
      "{}",
    );
    expect(guardApiWrite(json, env)).toBeNull();
    const empty = request("/api/campaigns/c1/pause", "POST", {
      origin: ORIGIN,
      "sec-fetch-site": "same-origin",
    });
    expect(guardApiWrite(empty, env)).toBeNull();
  });

  it("accepts the configured public origin as well as the request's own", () => {
    const proxied = request("/api/leads", "POST", {
      origin: "https://outflow.example",
      "content-type": "application/json",
    });
    const withPublicUrl = {
      BETTER_AUTH_URL: "https://outflow.example",
    } as unknown as NodeJS.ProcessEnv;
    expect(guardApiWrite(proxied, withPublicUrl)).toBeNull();
    expect(guardApiWrite(proxied, env)?.status).toBe(403);
  });

  it.each(["/api/webhooks/unipile", "/api/v1/campaigns", "/api/accounts/unipile/callback"])(
    "leaves %s, which authenticates itself, to its handler",
    (path) => {
      const call = request(path, "POST", { "content-type": "text/plain" }, "{}");
      expect(guardApiWrite(call, env)).toBeNull();
    },
  );
});
