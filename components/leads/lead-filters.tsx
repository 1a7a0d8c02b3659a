import Link from "next/link";
import { CATEGORY_LABELS } from "@/components/inbox/labels";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";
import { WAITING_REASON_LABELS } from "@/workflows/engine/waiting-reason";

export const STATUS_FILTERS = [
  { value: "", label: "Any status" },
  { value: "active", label: "In a campaign now" },
  { value: "finished", label: "Finished every campaign" },
  { value: "never", label: "Never enrolled" },
  { value: "replied", label: "Replied" },
  { value: "blocklisted", label: "Blocklisted" },
] as const;

/** Search and filters as a plain GET form: works before the page's script has loaded. */
export function LeadFilters({
  search,
  campaignId,
  status,
  replyCategory,
  stepId,
  waiting,
  field,
  value,
  campaigns,
  steps,
  fields,
}: {
  search: string;
  campaignId: string;
  status: string;
  /** The category of the lead's newest reply. */
  replyCategory: string;
  stepId: string;
  /** Why the lead waits in the chosen campaign (a reason code). */
  waiting: string;
  field: string;
  value: string;
  campaigns: Array<{ id: string; name: string }>;
  /** The chosen campaign's steps; none until a campaign is chosen. */
  steps: Array<{ id: string; label: string }>;
  /** The imported columns the workspace's leads carry. */
  fields: string[];
}) {
  const filtered = Boolean(search || campaignId || status || replyCategory || field);
  return (
    <form method="get" className="flex flex-wrap items-end gap-2">
      <div className="min-w-56 flex-1">
        <label htmlFor="lead-search" className="mb-1 block text-xs font-medium text-slate-600">
          Search
        </label>
        <input
          id="lead-search"
          name="q"
          defaultValue={search}
          maxLength={100}
          placeholder="Name, company, title or public identifier"
          className={inputClass}
        />
      </div>
      <div>
        <label htmlFor="lead-campaign" className="mb-1 block text-xs font-medium text-slate-600">
          Campaign
        </label>
        <select id="lead-campaign" name="campaign" defaultValue={campaignId} className={inputClass}>
          <option value="">Any campaign</option>
          {campaigns.map((campaign) => (
            <option key={campaign.id} value={campaign.id}>
              {campaign.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="lead-status" className="mb-1 block text-xs font-medium text-slate-600">
          Status
        </label>
        <select id="lead-status" name="status" defaultValue={status} className={inputClass}>
          {STATUS_FILTERS.map((filter) => (
            <option key={filter.value} value={filter.value}>
              {filter.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="lead-reply" className="mb-1 block text-xs font-medium text-slate-600">
          Reply
        </label>
        <select id="lead-reply" name="reply" defaultValue={replyCategory} className={inputClass}>
          <option value="">Any reply or none</option>
          {Object.entries(CATEGORY_LABELS).map(([category, label]) => (
            <option key={category} value={category}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {campaignId && steps.length > 0 ? (
        <div>
          <label htmlFor="lead-step" className="mb-1 block text-xs font-medium text-slate-600">
            At step
          </label>
          <select id="lead-step" name="step" defaultValue={stepId} className={inputClass}>
            <option value="">Any step</option>
            {steps.map((step) => (
              <option key={step.id} value={step.id}>
                {step.label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {campaignId ? (
        <div>
          <label htmlFor="lead-waiting" className="mb-1 block text-xs font-medium text-slate-600">
            Why it waits
          </label>
          <select id="lead-waiting" name="waiting" defaultValue={waiting} className={inputClass}>
            <option value="">Any reason</option>
            {Object.entries(WAITING_REASON_LABELS).map(([code, label]) => (
              <option key={code} value={code}>
                {label}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {fields.length > 0 ? (
        <>
          <div>
            <label htmlFor="lead-field" className="mb-1 block text-xs font-medium text-slate-600">
              Imported column
            </label>
            <select id="lead-field" name="field" defaultValue={field} className={inputClass}>
              <option value="">Any column</option>
              {fields.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </div>
          <div className="w-40">
            <label htmlFor="lead-value" className="mb-1 block text-xs font-medium text-slate-600">
              Column contains
            </label>
            <input
              id="lead-value"
              name="value"
              defaultValue={value}
              maxLength={100}
              className={inputClass}
            />
          </div>
        </>
      ) : null}
      <Button type="submit" variant="secondary">
        Apply
      </Button>
      {filtered ? (
        <Link href="/leads" className="px-2 py-2 text-sm text-slate-600 hover:text-slate-900">
          Clear
        </Link>
      ) : null}
    </form>
  );
}
