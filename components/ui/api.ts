// The one way the browser calls the app's JSON routes: the answer's body, or an ApiError
// carrying the route's own message (and field errors) to show.

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fieldErrors: Record<string, string[]> = {},
    readonly code = "error",
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export async function requestJson<T>(
  url: string,
  init: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: init.method ?? "GET",
      headers: init.body === undefined ? undefined : { "content-type": "application/json" },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      cache: "no-store",
      signal: init.signal,
    });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiError(
      "Outflow could not be reached. Check your connection and try again.",
      0,
      {},
      "offline",
    );
  }
  const body = (await response.json().catch(() => null)) as
    | (T & { error?: undefined })
    | {
        error?: { code?: string; message?: string; fieldErrors?: Record<string, string[]> };
      }
    | null;
  if (!response.ok) {
    const error = body && "error" in body ? body.error : undefined;
    throw new ApiError(
      error?.message ?? `The request failed (${response.status}).`,
      response.status,
      error?.fieldErrors ?? {},
      error?.code ?? "error",
    );
  }
  return body as T;
}

/** The same call, answered as a value instead of thrown: for forms that show the outcome. */
export type ApiResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      status: number;
      code: string;
      message: string;
      fieldErrors: Record<string, string[]>;
    };

export async function requestResult<T>(
  url: string,
  init: { method?: string; body?: unknown } = {},
): Promise<ApiResult<T>> {
  try {
    return { ok: true, data: await requestJson<T>(url, init) };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return {
      ok: false,
      status: error.status,
      code: error.code,
      message: error.message,
      fieldErrors: error.fieldErrors,
    };
  }
}
