import Link from "next/link";
import { formatNumber } from "@/components/ui/format";

const number = formatNumber;

/**
 * "51–100 of 1,000" with previous and next links that keep the other query parameters. A capped
 * total ("of 10,000+") counts no further: the next link then follows `hasNext`, and a page's
 * last row is its own.
 */
export function Pager({
  path,
  query,
  page,
  pageSize,
  total,
  capped = false,
  rows,
  hasNext = false,
}: {
  path: string;
  query: Record<string, string>;
  page: number;
  pageSize: number;
  total: number;
  /** More than `total` match. */
  capped?: boolean;
  /** The rows on this page, when the total is capped. */
  rows?: number;
  /** Whether another page follows, when the total is capped. */
  hasNext?: boolean;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const href = (target: number) => {
    const params = new URLSearchParams(Object.entries(query).filter(([, value]) => value));
    if (target > 1) params.set("page", String(target));
    const search = params.toString();
    return search ? `${path}?${search}` : path;
  };
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = capped
    ? (page - 1) * pageSize + (rows ?? pageSize)
    : Math.min(page * pageSize, total);
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-3 text-sm">
      <span className="text-slate-600">
        {total === 0
          ? "None"
          : `${number(first)}–${number(last)} of ${number(total)}${capped ? "+" : ""}`}
      </span>
      <span className="flex gap-3">
        {page > 1 ? (
          <Link href={href(page - 1)} className="text-brand-700 hover:underline">
            ← Previous
          </Link>
        ) : null}
        {(capped ? hasNext : page < pages) ? (
          <Link href={href(page + 1)} className="text-brand-700 hover:underline">
            Next →
          </Link>
        ) : null}
      </span>
    </nav>
  );
}
