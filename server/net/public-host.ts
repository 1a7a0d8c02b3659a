import "server-only";

import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

// Addresses a URL given by a user (a Unipile DSN) or handed to a third party (the app's
// public URL for webhooks) must not point at: this machine, its network, link-local ranges.

const blocked = new BlockList();
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
  blocked.addSubnet(net, prefix, "ipv4");
}
for (const [net, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  // NAT64: reaches IPv4 addresses, private ones included, through a translator.
  ["64:ff9b::", 96],
] as const) {
  blocked.addSubnet(net, prefix, "ipv6");
}

/** True for a loopback, private, link-local, shared, multicast or unspecified address. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = isIP(bare);
  if (family === 4) return blocked.check(bare, "ipv4");
  if (family === 6) {
    // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as IPv4.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
    if (mapped?.[1]) return blocked.check(mapped[1], "ipv4");
    return blocked.check(bare, "ipv6");
  }
  return false;
}

/** Host names that only ever mean a local machine or network. */
export function isLocalHostName(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host.endsWith(".local") ||
    host.endsWith(".internal") ||
    host.endsWith(".lan") ||
    host.endsWith(".home.arpa") ||
    isPrivateAddress(host)
  );
}

/**
 * Throws with a message a person can act on when `hostname` is local or resolves (any of its
 * addresses) to a private one. A name that does not resolve is refused too.
 */
export async function assertPublicHost(
  hostname: string,
  resolve: (host: string) => Promise<string[]> = async (host) =>
    (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
): Promise<void> {
  if (isLocalHostName(hostname)) {
    throw new Error(`${hostname} is a local or private address, not a public host.`);
  }
  if (isIP(hostname.replace(/^\[|\]$/g, ""))) return;
  let addresses: string[];
  try {
    addresses = await resolve(hostname);
  } catch {
    throw new Error(`${hostname} does not resolve to an address.`);
  }
  if (addresses.length === 0) throw new Error(`${hostname} does not resolve to an address.`);
  if (addresses.some(isPrivateAddress)) {
    throw new Error(`${hostname} resolves to a local or private address, not a public host.`);
  }
}
