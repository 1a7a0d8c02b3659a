/**
 * The page to open after signing in or up. `next` comes from the address bar, so it is parsed
 * as a URL against the app's own origin — the way the browser will read it — and followed only
 * when it stays on that origin. A string check is not enough: browsers drop tabs and newlines
 * (`/%09/evil.example`) and read backslashes as slashes (`/\evil.example`), turning a path into
 * another host.
 */
export function safeNextPath(
  next: string | null | undefined,
  origin: string,
  fallback = "/campaigns",
): string {
  if (!next) return fallback;
  let target: URL;
  try {
    target = new URL(next, origin);
  } catch {
    return fallback;
  }
  if (target.origin !== new URL(origin).origin) return fallback;
  return `${target.pathname}${target.search}${target.hash}`;
}
