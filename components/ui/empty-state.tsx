import type { ReactNode } from "react";

/** What a page will hold once there is something in it, and how to get started. */
export function EmptyState({
  icon,
  title,
  description,
  steps,
  action,
}: {
  icon: ReactNode;
  title: string;
  description: string;
  steps?: string[];
  action?: ReactNode;
}) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
      <div className="mx-auto flex size-12 items-center justify-center rounded-full bg-brand-50 text-brand-600">
        {icon}
      </div>
      <h2 className="mt-4 text-lg font-semibold text-slate-900">{title}</h2>
      <p className="mx-auto mt-2 max-w-lg text-sm text-slate-600">{description}</p>
      {steps && steps.length > 0 ? (
        <ol className="mx-auto mt-5 max-w-md list-decimal space-y-1.5 pl-5 text-left text-sm text-slate-700">
          {steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      ) : null}
      {action ? <div className="mt-6">{action}</div> : null}
    </div>
  );
}
