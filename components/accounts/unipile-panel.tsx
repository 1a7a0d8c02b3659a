import Link from "next/link";
import { StatusBadge } from "@/components/campaigns/status-badge";
import { Alert } from "@/components/ui/alert";
import type { UnipilePanelView } from "@/views/unipile";
import { UnipileConnectForm } from "./unipile-connect-form";
import { UnipileCredentialsForm } from "./unipile-credentials-form";
import { UnipileReconnectButton } from "./unipile-reconnect-button";

/** Real LinkedIn seats through Unipile: credentials, connecting a seat, seats to reconnect. */
export function UnipilePanel({
  view,
  canManage,
  returned,
}: {
  view: UnipilePanelView;
  canManage: boolean;
  /** Where Unipile's hosted sign-in sent the browser back from, if it just did. */
  returned: "connected" | "failed" | null;
}) {
  // Setting Unipile up is the server's and the admins' business: members only see that it is.
  if (!canManage) {
    return (
      <p className="text-sm text-slate-700">
        {view.configured
          ? "This workspace is connected to Unipile. An owner or admin connects new LinkedIn seats."
          : "An owner or admin of the workspace can connect real LinkedIn seats through Unipile."}
      </p>
    );
  }
  return (
    <div className="space-y-6">
      {view.credentialsProblem ? (
        <Alert tone="error">
          {view.credentialsProblem} Seats keep their status and resume once a valid key is saved.
        </Alert>
      ) : null}
      <p className="text-sm text-slate-700">
        Set-up steps for the server (environment variables, the DSN, webhooks):{" "}
        <Link href="/help/unipile" className="font-medium text-brand-700 hover:underline">
          Connecting real LinkedIn accounts
        </Link>
        .
      </p>
      {returned === "connected" ? (
        <Alert tone="success">
          LinkedIn sign-in done. The account shows in the list above as soon as Unipile confirms it;
          refresh in a few seconds if it is not there yet.
        </Alert>
      ) : null}
      {returned === "failed" ? (
        <Alert tone="error">The LinkedIn sign-in on Unipile did not complete. Try again.</Alert>
      ) : null}
      <section className="space-y-3">
        <h3 className="text-sm font-semibold text-slate-900">Unipile credentials</h3>
        <UnipileCredentialsForm
          configured={view.configured}
          dsn={view.dsn}
          updatedAt={view.updatedAt}
          encryptionKeyProblem={view.encryptionKeyProblem}
          canManage={canManage}
        />
      </section>
      <section className="space-y-3 border-t border-slate-100 pt-5">
        <h3 className="text-sm font-semibold text-slate-900">Connect a LinkedIn account</h3>
        <UnipileConnectForm configured={view.configured} canManage={canManage} />
      </section>
      {view.needsReconnect.length > 0 ? (
        <section className="space-y-3 border-t border-slate-100 pt-5">
          <h3 className="text-sm font-semibold text-slate-900">Accounts to reconnect</h3>
          <ul className="divide-y divide-slate-100">
            {view.needsReconnect.map((account) => (
              <li key={account.id} className="flex items-start justify-between gap-4 py-3">
                <div>
                  <p className="text-sm font-medium text-slate-900">
                    {account.name} <StatusBadge status={account.status} className="ml-2" />
                  </p>
                  {account.statusReason ? (
                    <p className="mt-0.5 text-sm text-slate-500">{account.statusReason}</p>
                  ) : null}
                </div>
                <UnipileReconnectButton
                  accountId={account.id}
                  accountName={account.name}
                  canManage={canManage}
                />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
