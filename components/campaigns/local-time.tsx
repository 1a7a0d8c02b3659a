"use client";

const FORMAT = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/**
 * An instant in the reader's own time zone and locale. The server renders it in its own zone
 * first; the browser's rendering replaces it, so the mismatch warning is expected.
 */
export function LocalTime({ iso, fallback = "—" }: { iso: string | null; fallback?: string }) {
  if (!iso) return <span className="text-slate-400">{fallback}</span>;
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {FORMAT.format(new Date(iso))}
    </time>
  );
}
