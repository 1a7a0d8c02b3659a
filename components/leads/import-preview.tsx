import { formatNumber } from "@/components/ui/format";
import type { LeadRows } from "@/workflows/leads/rows";

const PREVIEW_LEADS = 10;
const LISTED_PROBLEMS = 200;

const number = formatNumber;

/** What the import will take: a sample of the leads, every refused row with its reasons, merges. */
export function ImportPreview({ rows }: { rows: LeadRows }) {
  const shown = rows.leads.slice(0, PREVIEW_LEADS);
  return (
    <div className="space-y-5">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" aria-label="Import summary">
        {[
          { label: "Rows in the file", value: rows.rowCount },
          { label: "Leads to import", value: rows.leads.length },
          { label: "Duplicates merged", value: rows.merged.length },
          { label: "Rows not imported", value: rows.rejected.length },
        ].map((stat) => (
          <div key={stat.label} className="rounded-lg bg-slate-50 px-4 py-3 ring-1 ring-slate-200">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">
              {stat.label}
            </dt>
            <dd className="mt-1 text-xl font-semibold tabular-nums text-slate-900">
              {number(stat.value)}
            </dd>
          </div>
        ))}
      </dl>

      {shown.length > 0 ? (
        <section aria-labelledby="preview-leads">
          <h3 id="preview-leads" className="mb-2 text-sm font-semibold text-slate-900">
            Preview
            <span className="ml-2 font-normal text-slate-500">
              {rows.leads.length > PREVIEW_LEADS
                ? `the first ${PREVIEW_LEADS} of ${number(rows.leads.length)} leads`
                : `${rows.leads.length} lead${rows.leads.length === 1 ? "" : "s"}`}
            </span>
          </h3>
          <div className="overflow-x-auto rounded-md ring-1 ring-slate-200">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th className="px-3 py-2 font-medium">Row</th>
                  <th className="px-3 py-2 font-medium">Public identifier</th>
                  <th className="px-3 py-2 font-medium">First name</th>
                  <th className="px-3 py-2 font-medium">Last name</th>
                  <th className="px-3 py-2 font-medium">Company</th>
                  <th className="px-3 py-2 font-medium">Title</th>
                  <th className="px-3 py-2 font-medium">Custom fields</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {shown.map((lead) => (
                  <tr key={lead.publicIdentifier}>
                    <td className="px-3 py-2 tabular-nums text-slate-500">
                      {lead.rows.join(", ")}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs text-slate-800">
                      {lead.publicIdentifier}
                    </td>
                    <td className="px-3 py-2 text-slate-900">{lead.firstName}</td>
                    <td className="px-3 py-2 text-slate-900">{lead.lastName}</td>
                    <td className="px-3 py-2 text-slate-700">{lead.company}</td>
                    <td className="px-3 py-2 text-slate-700">{lead.title}</td>
                    <td className="px-3 py-2 text-xs text-slate-600">
                      {Object.entries(lead.custom).map(([key, value]) => (
                        <div key={key}>
                          <span className="font-mono text-slate-500">{key}</span>: {value}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {rows.rejected.length > 0 ? (
        <section aria-labelledby="rejected-rows">
          <h3 id="rejected-rows" className="mb-2 text-sm font-semibold text-slate-900">
            Rows not imported
            <span className="ml-2 font-normal text-slate-500">
              fix them in the file and import it again, or import without them
            </span>
          </h3>
          <div className="max-h-80 overflow-y-auto rounded-md ring-1 ring-amber-200">
            <table className="w-full text-left text-sm">
              <thead className="sticky top-0 bg-amber-50 text-xs uppercase tracking-wide text-amber-900">
                <tr>
                  <th className="px-3 py-2 font-medium">Row</th>
                  <th className="px-3 py-2 font-medium">Profile column</th>
                  <th className="px-3 py-2 font-medium">Why</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-amber-100">
                {rows.rejected.slice(0, LISTED_PROBLEMS).map((row) => (
                  <tr key={row.row}>
                    <td className="px-3 py-2 align-top tabular-nums text-slate-700">{row.row}</td>
                    <td className="max-w-xs truncate px-3 py-2 align-top font-mono text-xs text-slate-700">
                      {row.profile || "(empty)"}
                    </td>
                    <td className="px-3 py-2 align-top text-slate-800">
                      <ul className="space-y-0.5">
                        {row.reasons.map((reason) => (
                          <li key={reason}>{reason}</li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {rows.rejected.length > LISTED_PROBLEMS ? (
            <p className="mt-1 text-xs text-slate-500">
              …and {number(rows.rejected.length - LISTED_PROBLEMS)} more.
            </p>
          ) : null}
        </section>
      ) : null}

      {rows.merged.length > 0 ? (
        <section aria-labelledby="merged-rows">
          <h3 id="merged-rows" className="mb-2 text-sm font-semibold text-slate-900">
            Duplicates merged
            <span className="ml-2 font-normal text-slate-500">
              rows naming a profile already in the file: blanks are filled, the first row's values
              kept
            </span>
          </h3>
          <ul className="max-h-48 space-y-1 overflow-y-auto text-sm text-slate-700">
            {rows.merged.slice(0, LISTED_PROBLEMS).map((merge) => (
              <li key={merge.row}>
                Row {merge.row} merged into row {merge.into}{" "}
                <span className="font-mono text-xs text-slate-500">{merge.publicIdentifier}</span>
                {merge.differing.length > 0 ? (
                  <span className="text-slate-500">
                    {" "}
                    (differs in {merge.differing.join(", ").toLowerCase()})
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
