import { BASE_URL } from "./auth-helpers";

const v1 = await import("@/app/api/v1/[...path]/route");

type Method = "GET" | "POST" | "DELETE" | "PUT" | "PATCH";

/** Calls /api/v1 as the catch-all route handler sees it, with `key` as the bearer token. */
export async function callApi(
  key: string | null,
  method: Method,
  path: string,
  body?: unknown,
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are read loosely on purpose.
): Promise<{ status: number; headers: Headers; body: any }> {
  const url = new URL(`${BASE_URL}/api/v1${path}`);
  const segments = url.pathname
    .replace(/^\/api\/v1\/?/, "")
    .split("/")
    .filter(Boolean);
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await v1[method](
    new Request(url, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve({ path: segments }) },
  );
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : null,
  };
}
