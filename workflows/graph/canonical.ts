/**
 * Content hashes of graphs: drafts are saved with a compare-and-swap on the hash, and each
 * published version is identified by it. The JSON is canonical (object keys sorted, no spaces)
 * so the same graph always hashes the same, whatever order its keys were written in. Array
 * order is kept: it is part of the content.
 */

export function canonicalJson(value: unknown): string {
  return serialise(value) ?? "null";
}

/** Like JSON.stringify: undefined, functions and symbols are left out of objects. */
function serialise(value: unknown): string | undefined {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
    case "bigint":
      throw new TypeError("A graph cannot contain bigint values");
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === "function") return serialise(withJson.toJSON());
  if (Array.isArray(value)) {
    return `[${value.map((item) => serialise(item) ?? "null").join(",")}]`;
  }
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = serialise(record[key]);
    if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
  }
  return `{${members.join(",")}}`;
}

/** SHA-256 of the canonical JSON, as 64 hex digits (Web Crypto: works in Node and browsers). */
export async function contentHash(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(canonicalJson(value));
  const digest = await globalThis.crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
