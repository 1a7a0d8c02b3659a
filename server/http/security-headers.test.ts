import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { proxy } from "@/proxy";

function page(url: string, headers: Record<string, string> = {}) {
  return new NextRequest(url, {
    headers: { cookie: "better-auth.session_token=abc.def", ...headers },
  });
}

function nonceOf(policy: string | null): string | undefined {
  return policy?.match(/'nonce-([^']+)'/)?.[1];
}

describe("15. pages carry a Content-Security-Policy with a nonce, and HSTS over https", () => {
  afterEach(() => {
    process.env.BETTER_AUTH_URL = "http://localhost:3000";
  });

  it("every page response has a policy whose script nonce is new for each request", () => {
    const first = proxy(page("http://localhost:3000/campaigns"));
    const second = proxy(page("http://localhost:3000/campaigns"));
    const policy = first.headers.get("content-security-policy");
    expect(policy).toContain("script-src 'self' 'nonce-");
    expect(policy).toContain("'strict-dynamic'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("'unsafe-eval'");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const nonce = nonceOf(policy);
    expect(nonce).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
    expect(nonceOf(second.headers.get("content-security-policy"))).not.toBe(nonce);
    // Next.js reads the policy from the request to put the nonce on the scripts it renders.
    expect(first.headers.get("x-middleware-request-content-security-policy")).toBe(policy);
  });

  it("the sign-in page, open to anyone, has the policy too; a redirect to it as well", () => {
    const signIn = proxy(new NextRequest("http://localhost:3000/sign-in"));
    expect(nonceOf(signIn.headers.get("content-security-policy"))).toBeTruthy();
    const redirect = proxy(new NextRequest("http://localhost:3000/leads"));
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get("content-security-policy")).toBeTruthy();
  });

  it("no HSTS over plain http", () => {
    const response = proxy(page("http://localhost:3000/campaigns"));
    expect(response.headers.get("strict-transport-security")).toBeNull();
    expect(response.headers.get("content-security-policy")).not.toContain(
      "upgrade-insecure-requests",
    );
  });

  it("HSTS when served over https, directly or behind a proxy", () => {
    const direct = proxy(page("https://outflow.example/campaigns"));
    expect(direct.headers.get("strict-transport-security")).toMatch(/max-age=\d{8}/);
    const behindProxy = proxy(
      page("http://localhost:3000/campaigns", { "x-forwarded-proto": "https" }),
    );
    expect(behindProxy.headers.get("strict-transport-security")).toMatch(/max-age=/);
    process.env.BETTER_AUTH_URL = "https://outflow.example";
    const configured = proxy(page("http://localhost:3000/campaigns"));
    expect(configured.headers.get("strict-transport-security")).toMatch(/max-age=/);
  });
});
