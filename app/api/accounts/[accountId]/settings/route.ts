import {
  accountSettingsInput,
  updateAccountSettings,
} from "@/server/accounts/update-account-settings";
import { workspaceRoute } from "@/server/http/guard";

export const PUT = workspaceRoute(accountSettingsInput, updateAccountSettings, { role: "admin" });
