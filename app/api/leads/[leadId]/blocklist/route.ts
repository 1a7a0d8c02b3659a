import { workspaceRoute } from "@/server/http/guard";
import { setLeadBlocked, setLeadBlockedInput } from "@/server/leads/set-lead-blocked";

/** `{blocked: true, reason?}` blocklists the lead (and stops its campaigns); `false` lifts it. */
export const PUT = workspaceRoute(setLeadBlockedInput, setLeadBlocked, { role: "admin" });
