import { vi } from "vitest";

// Server actions read the request through next/headers, which only exists inside a Next.js
// request. Tests answer with the headers set through test/request-headers.ts.
vi.mock("next/headers", async () => {
  const { requestHeaders } = await import("./request-headers");
  return {
    headers: async () => requestHeaders.current,
    cookies: async () => ({
      get: () => undefined,
      getAll: () => [],
      set: () => {},
      delete: () => {},
    }),
  };
});

// The fake Unipile listens on 127.0.0.1 over plain http: allowed for tests only. The tests of
// the DSN rule (server/unipile/dsn.test.ts) take it away for themselves.
process.env.OUTFLOW_ALLOW_LOCAL_DSN ??= "1";
