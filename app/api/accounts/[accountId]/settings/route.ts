import { accountSettingsInput, updateAccountSettings } from "@/server/account-settings";
import { workspaceRoute } from "@/server/guard";

export const PUT = workspaceRoute(accountSettingsInput, updateAccountSettings, { role: "admin" });
