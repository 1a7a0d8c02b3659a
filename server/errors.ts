import type { z } from "zod";

/** An error the caller is meant to see, with the HTTP status it maps to. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const notFound = (what: string) => new HttpError(404, "not_found", `${what} was not found.`);
export const forbidden = (message: string) => new HttpError(403, "forbidden", message);
export const conflict = (message: string, code = "conflict") => new HttpError(409, code, message);
export const badRequest = (message: string, code = "bad_request") =>
  new HttpError(400, code, message);

export function invalidInput(error: z.ZodError): HttpError {
  const fieldErrors: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    fieldErrors[key] = [...(fieldErrors[key] ?? []), issue.message];
  }
  const first = error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join(".")}: ` : "";
  return new HttpError(
    400,
    "invalid_input",
    `${where}${first?.message ?? "Invalid input."}`,
    fieldErrors,
  );
}

export interface ErrorBody {
  error: { code: string; message: string; fieldErrors?: Record<string, string[]> };
}

export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof HttpError) {
    return {
      status: error.status,
      body: {
        error: {
          code: error.code,
          message: error.message,
          ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
        },
      },
    };
  }
  // Unexpected failures are logged server-side; the caller learns nothing about internals.
  console.error(error);
  return {
    status: 500,
    body: { error: { code: "internal", message: "Something went wrong on our side." } },
  };
}
