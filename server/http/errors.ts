import "server-only";

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
  console.error(`[outflow] request failed: ${describeFailure(error)}`);
  return {
    status: 500,
    body: { error: { code: "internal", message: "Something went wrong on our side." } },
  };
}

/** Longest message line kept in the log: enough to recognise a failure, never a data dump. */
const MAX_LOGGED_MESSAGE = 200;

/**
 * Quoted values go ("invalid input syntax for type uuid: \"<the value>\""); quoted names of
 * constraints, tables and columns stay, which is what a reader of the log needs.
 */
function redactQuoted(line: string): string {
  return line.replace(/"([^"]*)"|'([^']*)'/g, (quoted, double, single) =>
    /^[a-z_][a-z0-9_.]*$/.test(double ?? single ?? "") ? quoted : "…",
  );
}

/**
 * A failure as it may be logged: each error's name, the first line of its message (cut short),
 * its code, and where it was thrown, along its causes. Never the request or the data it
 * carried: a failed query's error holds its parameters (an import's every lead) after the
 * first line of its message, and a database error's detail quotes the row.
 */
export function describeFailure(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (!(current instanceof Error)) {
      parts.push(`a thrown ${typeof current}`);
      break;
    }
    const firstLine = redactQuoted(current.message.split("\n", 1)[0] ?? "").slice(
      0,
      MAX_LOGGED_MESSAGE,
    );
    const code = (current as { code?: unknown }).code;
    const frames = (current.stack ?? "")
      .split("\n")
      .filter((line) => line.trimStart().startsWith("at "))
      .slice(0, 5)
      .join("\n");
    parts.push(
      `${current.name}${typeof code === "string" ? ` [${code}]` : ""}: ${firstLine}${frames ? `\n${frames}` : ""}`,
    );
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join("\ncaused by ");
}
