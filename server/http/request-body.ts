import "server-only";

import { HttpError } from "./errors";

// Bounds on what a request may bring, checked before any work is done on it: the body's bytes
// as they arrive (a chunked upload has no Content-Length to trust), then the parsed value's
// depth and its strings.

/** The largest JSON body a route reads unless it says otherwise: a full-size campaign fits. */
export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;
/** Deeper JSON than this is no input the app takes, only work for the parser. */
export const MAX_INPUT_DEPTH = 32;

export function tooLarge(maxBytes: number): HttpError {
  const size =
    maxBytes >= 1024 * 1024
      ? `${Math.round(maxBytes / (1024 * 1024))} MB`
      : `${Math.round(maxBytes / 1024)} kB`;
  return new HttpError(413, "too_large", `The request is too large: at most ${size}.`);
}

/**
 * The body as text, read as it streams in and refused (413) as soon as it passes `maxBytes`:
 * the limit holds on the bytes actually received, with or without a Content-Length.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let received = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      // The client went away mid-upload: nothing to answer and nothing went wrong here.
      throw new HttpError(
        499,
        "cancelled",
        "The upload stopped before its end: nothing was saved.",
      );
    }
    const { done, value } = chunk;
    if (done) break;
    received += value.byteLength;
    if (received > maxBytes) {
      // Stop reading: the rest of the upload is never buffered.
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join("");
}

/** Parses JSON text; an empty body is `{}`. */
export function parseJsonText(text: string): unknown {
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "The request body is not valid JSON.");
  }
}

function describePath(path: readonly (string | number)[]): string {
  return path.length === 0 ? "the input" : path.join(".");
}

/**
 * Refuses (400) input nested deeper than MAX_INPUT_DEPTH, and any text — value or key — holding
 * a NUL character, which no field needs and the database cannot store. Walks without recursion,
 * so no input can exhaust the stack.
 */
export function checkInputShape(
  input: unknown,
  basePath: (string | number)[] = [],
  maxDepth = MAX_INPUT_DEPTH,
): void {
  const stack: Array<{ value: unknown; path: (string | number)[] }> = [
    { value: input, path: basePath },
  ];
  while (stack.length > 0) {
    const { value, path } = stack.pop() as { value: unknown; path: (string | number)[] };
    if (typeof value === "string") {
      if (value.includes("\u0000")) throw nulRefused(path);
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (path.length >= maxDepth) {
      throw new HttpError(
        400,
        "too_deep",
        `The input is nested too deeply (more than ${maxDepth} levels).`,
      );
    }
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        stack.push({ value: value[index], path: [...path, index] });
      }
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("\u0000")) throw nulRefused(path);
      stack.push({ value: item, path: [...path, key] });
    }
  }
}

function nulRefused(path: (string | number)[]): HttpError {
  const where = describePath(path);
  return new HttpError(400, "invalid_input", `${where}: text may not contain NUL characters.`, {
    [path.join(".") || "_"]: ["Text may not contain NUL characters."],
  });
}

// ---------------------------------------------------------------------------------------------
// Large bodies without a long pause

/** Longest stretch of parsing before other requests get a turn. */
const SLICE_MS = 8;

/** Gives the event loop back (other requests, timers) when the current slice has run long. */
export class Yielder {
  #since = performance.now();

  async maybe(): Promise<void> {
    if (performance.now() - this.#since < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#since = performance.now();
  }
}

/** Bodies smaller than this parse in one go: too quick to be worth slicing. */
const SLICED_PARSE_FROM = 256 * 1024;

const invalidJson = () => new HttpError(400, "invalid_json", "The request body is not valid JSON.");

function skipSpace(text: string, at: number): number {
  let i = at;
  for (;;) {
    const code = text.charCodeAt(i);
    if (code !== 32 && code !== 10 && code !== 13 && code !== 9) return i;
    i += 1;
  }
}

/** The index just past the string opening at `at`. */
function endOfString(text: string, at: number): number {
  let from = at + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote < 0) throw invalidJson();
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes += 1;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The index just past the value starting at `at`; JSON.parse then checks what lies between. */
function endOfValue(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === 34) return endOfString(text, at);
  if (first === 123 || first === 91) {
    let depth = 0;
    let i = at;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (code === 34) {
        i = endOfString(text, i);
        continue;
      }
      if (code === 123 || code === 91) depth += 1;
      else if (code === 125 || code === 93) {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
      i += 1;
    }
    throw invalidJson();
  }
  let i = at;
  while (i < text.length && !",}] \n\r\t".includes(text.charAt(i))) i += 1;
  if (i === at) throw invalidJson();
  return i;
}

function parsePart(text: string, from: number, to: number): unknown {
  try {
    return JSON.parse(text.slice(from, to));
  } catch {
    throw invalidJson();
  }
}

/**
 * JSON.parse for large bodies without one long pause: a top-level object's values are parsed
 * one by one, and the items of its lists one by one, yielding to other requests between them
 * (a 30 MB import would otherwise hold the event loop for about a second). Same result and
 * same refusals as JSON.parse; an empty body is `{}`.
 */
export async function parseJsonYielding(text: string): Promise<unknown> {
  const start = skipSpace(text, 0);
  if (text.length < SLICED_PARSE_FROM || text.charCodeAt(start) !== 123) {
    return parseJsonText(text);
  }
  const yielder = new Yielder();
  const result: Record<string, unknown> = {};
  let i = skipSpace(text, start + 1);
  if (text.charCodeAt(i) === 125) i += 1;
  else {
    for (;;) {
      if (text.charCodeAt(i) !== 34) throw invalidJson();
      const keyEnd = endOfString(text, i);
      const key = parsePart(text, i, keyEnd) as string;
      i = skipSpace(text, keyEnd);
      if (text.charCodeAt(i) !== 58) throw invalidJson();
      i = skipSpace(text, i + 1);
      let value: unknown;
      if (text.charCodeAt(i) === 91) {
        const items: unknown[] = [];
        i = skipSpace(text, i + 1);
        if (text.charCodeAt(i) === 93) i += 1;
        else {
          for (;;) {
            const end = endOfValue(text, i);
            items.push(parsePart(text, i, end));
            await yielder.maybe();
            i = skipSpace(text, end);
            const next = text.charCodeAt(i);
            if (next === 93) {
              i += 1;
              break;
            }
            if (next !== 44) throw invalidJson();
            i = skipSpace(text, i + 1);
          }
        }
        value = items;
      } else {
        const end = endOfValue(text, i);
        value = parsePart(text, i, end);
        i = end;
      }
      // Defined, not assigned: a "__proto__" key stays a plain key, as with JSON.parse.
      Object.defineProperty(result, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      await yielder.maybe();
      i = skipSpace(text, i);
      const next = text.charCodeAt(i);
      if (next === 125) {
        i += 1;
        break;
      }
      if (next !== 44) throw invalidJson();
      i = skipSpace(text, i + 1);
    }
  }
  if (skipSpace(text, i) !== text.length) throw invalidJson();
  return result;
}
