"use client";
import { formatDateTime } from "@/components/ui/format";

/**
 * An instant in the reader's own time zone and locale (or, given one, a seat's, named). The
 * server renders it in its own zone first; the browser's rendering replaces it, so the
 * mismatch warning is expected.
 */
export function LocalTime({
  iso,
  fallback = "—",
  timeZone,
}: {
  iso: string | null;
  fallback?: string;
  timeZone?: string;
}) {
  if (!iso) return <span className="text-slate-500">{fallback}</span>;
  return (
    <time dateTime={iso} suppressHydrationWarning>
      {formatDateTime(iso, { timeZone })}
    </time>
  );
}
