import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { badRequest } from "../errors";

// Webhook URLs are fetched by the server, so one pointing inside the network (the cloud's
// metadata service, a database, localhost) would let any admin probe it. Refused by address,
// after DNS resolution, when the endpoint is registered and again before every delivery.

const privateRanges = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  privateRanges.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["64:ff9b::", 96],
] as const) {
  privateRanges.addSubnet(net, prefix, "ipv6");
}

/** `OUTFLOW_ALLOW_PRIVATE_WEBHOOKS=1`: allow them, for local development and tests. */
export const privateWebhooksAllowed = () => process.env.OUTFLOW_ALLOW_PRIVATE_WEBHOOKS === "1";

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPrivateAddress(mapped);
  const family = isIP(address);
  if (family === 0) return true;
  return privateRanges.check(address, family === 4 ? "ipv4" : "ipv6");
}

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
