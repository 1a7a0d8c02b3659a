import "server-only";

import type { SenderAccountRow } from "@/db/queries/accounts";
import type { AccountState } from "@/views/accounts";
import { formatAccountTime } from "@/workflows/engine/pacing/local-time";

export function describeStatus(status: string): string {
  switch (status) {
    case "cooling_down":
      return "cooling down";
    case "needs_reconnect":
      return "disconnected and needs reconnecting";
    default:
      return status.replaceAll("_", " ");
  }
}

/** The account's status as a sentence its owner can act on. */
export function describeAccountState(
  account: Pick<SenderAccountRow, "status" | "statusReason" | "coolingUntil" | "provider">,
  timeZone: string,
  now: Date,
): AccountState {
  const reason = account.statusReason?.trim() || null;
  const because = (fallback: string) => (reason ? `${reason}.` : fallback);
  switch (account.status) {
    case "active":
      return {
        status: "active",
        headline: "Active",
        detail: "Sends inside its working hours, within the caps in force today.",
      };
    case "cooling_down": {
      const until = account.coolingUntil;
      if (until && until.getTime() > now.getTime()) {
        return {
          status: "cooling_down",
          headline: `Cooling down until ${formatAccountTime(until, timeZone)}`,
          detail: `${because("LinkedIn signalled a limit.")} Nothing is sent until then; it resumes by itself.`,
        };
      }
      return {
        status: "cooling_down",
        headline: until
          ? `Cooling down ended ${formatAccountTime(until, timeZone)}`
          : "Cooling down",
        detail: `${because("LinkedIn signalled a limit.")} It resumes with its next send.`,
      };
    }
    case "paused":
      return {
        status: "paused",
        // A person's pause already reads "Paused by …"; the engine's reasons do not.
        headline: !reason ? "Paused" : /^paused\b/i.test(reason) ? reason : `Paused: ${reason}`,
        detail: "Nothing is sent from it until someone resumes it; its leads keep their place.",
      };
    case "restricted":
      return {
        status: "restricted",
        headline: "Restricted by LinkedIn",
        detail: `${because("LinkedIn restricted the account.")} Nothing is sent from it. Lift the restriction on LinkedIn first; Outflow does not resume it for you.`,
      };
    case "needs_reconnect":
      return {
        status: "needs_reconnect",
        headline: "Needs reconnecting",
        detail: `${because("The connection to LinkedIn was lost.")} ${
          account.provider === "unipile"
            ? "Reconnect it under Real LinkedIn accounts on the accounts page;"
            : "Reconnect it;"
        } its campaigns wait until then.`,
      };
    default:
      return {
        status: account.status,
        headline: describeStatus(account.status),
        detail: reason ?? "",
      };
  }
}
