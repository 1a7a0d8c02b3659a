import { workspaceRoute } from "@/server/http/guard";
import { replySettingsInput, updateReplySettings } from "@/server/inbox/update-reply-settings";

/** `{outOfOfficeAsReply, outOfOfficePauseDays}`: what out-of-office replies do (admins). */
export const PUT = workspaceRoute(replySettingsInput, updateReplySettings, { role: "admin" });
