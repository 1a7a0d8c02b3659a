import "server-only";

import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { badRequest } from "../http/errors";
import { isPrivateAddress } from "../net/public-host";

// Webhook URLs are fetched by the server, so one pointing inside the network (the cloud's
// metadata service, a database, localhost) would let any admin probe it. Refused by address,
// after DNS resolution, when the endpoint is registered and again before every delivery; the
// ranges are the ones the Unipile DSN is refused for (server/net/public-host.ts).

/** `OUTFLOW_ALLOW_PRIVATE_WEBHOOKS=1`: allow them, for local development and tests. */
export const privateWebhooksAllowed = () => process.env.OUTFLOW_ALLOW_PRIVATE_WEBHOOKS === "1";

/** Refuses a URL that is not http(s) or whose host resolves to a private address. */
export async function assertPublicWebhookUrl(raw: string): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest("This is not a URL.", "invalid_url");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw badRequest("Webhook URLs start with https:// (or http://).", "invalid_url");
  }
  if (url.username || url.password) {
    throw badRequest("Put no user name or password in the URL.", "invalid_url");
  }
  if (privateWebhooksAllowed()) return url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = isIP(host)
      ? [host]
      : (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
  } catch {
    throw badRequest(`The host ${host} could not be found.`, "unresolvable_host");
  }
  if (addresses.length === 0 || addresses.some(isPrivateAddress)) {
    throw badRequest(
      `${host} is a private, loopback or link-local address: webhooks go to public addresses only.`,
      "private_address",
    );
  }
  return url;
}
