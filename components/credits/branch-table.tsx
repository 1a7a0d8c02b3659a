import { describeReasons } from "./format";
import type { BranchRowView, CampaignCreditsView } from "./types";

// Column names a sales lead reads without the legend; the tooltip says exactly what counts.
const COLUMNS = [
  { label: "Leads reached", title: "Leads that reached this InMail step on this branch" },
  { label: "Paid InMails", title: "InMails that cost a credit" },
  { label: "Free InMails", title: "InMails to open profiles: no credit" },
  { label: "Sent as messages", title: "Sent as a normal message to 1st-degree connections" },
  { label: "Not sent", title: "Leads that took the not-sent exit, and why" },
  { label: "Credits spent", title: "Credits taken for InMails sent" },
  { label: "Credits refunded", title: "Credits given back for replies" },
  { label: "Refunds due", title: "Refunds owed, not yet posted" },
  { label: "Credits used", title: "Credits spent minus credits refunded" },
  { label: "Replies", title: "Leads who replied to the InMail" },
  { label: "Credits per reply", title: "Credits used for each reply" },
  { label: "Against budget", title: "Credits used against the branch's budget" },
];

function budgetCell(row: BranchRowView) {
  if (row.budget === null) return <span className="text-slate-500">No budget</span>;
  const over = row.net >= row.budget;
  return (
    <span className={over ? "font-medium text-amber-800" : undefined}>
      {row.net} of {row.budget}
    </span>
  );
}

/** One row per branch that reaches an InMail step, with where its credits went. */
export function BranchTable({
  rows,
  totals,
}: {
  rows: BranchRowView[];
  totals: CampaignCreditsView["totals"];
}) {
  const cell = "px-2 py-2 text-right tabular-nums";
  return (
    // A wide table scrolls sideways in a narrow window: the region takes the keyboard focus so
    // that it can be scrolled without a mouse.
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be focusable.
    <section className="overflow-x-auto" tabIndex={0} aria-label="InMail credits per branch">
      <table className="w-full min-w-[960px] text-left text-sm">
        <caption className="sr-only">InMail credits per branch</caption>
        <thead className="text-xs text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-3 font-medium">
              Branch
            </th>
            {COLUMNS.map((column) => (
              <th
                key={column.label}
                scope="col"
                title={column.title}
                className="px-2 py-2 text-right font-medium"
              >
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row" className="max-w-72 py-2 pr-3 font-medium text-slate-900">
                {row.label}
              </th>
              <td className={cell}>{row.leadsReached}</td>
              <td className={cell}>{row.inmailsPaid}</td>
              <td className={cell}>{row.inmailsFree}</td>
              <td className={cell}>{row.sentAsMessage}</td>
              <td className={cell}>
                {row.notSent}
                {row.notSent > 0 ? (
                  <span className="block text-xs font-normal text-slate-500">
                    {" "}
                    ({describeReasons(row.notSentReasons)})
                  </span>
                ) : null}
              </td>
              <td className={cell}>{row.spent}</td>
              <td className={cell}>{row.refunded}</td>
              <td className={cell}>{row.refundsPending}</td>
              <td className={`${cell} font-semibold`}>{row.net}</td>
              <td className={cell}>{row.replies}</td>
              <td className={cell}>{row.netPerReply ?? "—"}</td>
              <td className={cell}>{budgetCell(row)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t border-slate-200 font-medium text-slate-900">
          <tr>
            <th scope="row" className="py-2 pr-3">
              All branches
            </th>
            <td className={cell} colSpan={5} />
            <td className={cell}>{totals.spent}</td>
            <td className={cell}>{totals.refunded}</td>
            <td className={cell}>{totals.refundsPending}</td>
            <td className={`${cell} font-semibold`}>{totals.net}</td>
            <td className={cell}>{totals.replies}</td>
            <td className={cell}>
              {totals.replies > 0 ? Math.round((totals.net / totals.replies) * 100) / 100 : "—"}
            </td>
            <td className={cell} />
          </tr>
        </tfoot>
      </table>
    </section>
  );
}
