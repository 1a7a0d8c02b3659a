import Link from "next/link";
import { formatNumber } from "@/components/ui/format";

const number = formatNumber;

/** "51–100 of 1,000" with previous and next links that keep the other query parameters. */
export function Pager({
  path,
  query,
  page,
  pageSize,
  total,
}: {
  path: string;
  query: Record<string, string>;
  page: number;
  pageSize: number;
  total: number;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const href = (target: number) => {
    const params = new URLSearchParams(Object.entries(query).filter(([, value]) => value));
    if (target > 1) params.set("page", String(target));
    const search = params.toString();
    return search ? `${path}?${search}` : path;
  };
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(page * pageSize, total);
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-3 text-sm">
      <span className="text-slate-600">
        {total === 0 ? "None" : `${number(first)}–${number(last)} of ${number(total)}`}
      </span>
      <span className="flex gap-3">
        {page > 1 ? (
          <Link href={href(page - 1)} className="text-brand-700 hover:underline">
            ← Previous
          </Link>
        ) : null}
        {page < pages ? (
          <Link href={href(page + 1)} className="text-brand-700 hover:underline">
            Next →
          </Link>
        ) : null}
      </span>
    </nav>
  );
}
