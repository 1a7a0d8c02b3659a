import "server-only";

import type { Caller } from "../http/guard";
import { requireEndpoint } from "./webhook-endpoint-shared";

/** The endpoint's secret, for the settings page (admins only). */
export async function webhookEndpointSecret(caller: Caller, input: { endpointId: string }) {
  const row = await requireEndpoint(caller, input.endpointId);
  return { secret: row.secret };
}
