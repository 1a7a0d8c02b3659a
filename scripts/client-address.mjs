// The client address the app sees. Next.js keeps any X-Forwarded-For the client sent and
// adds the connection's address only when there is none, so a client could pick its own
// address (and its own sign-in rate-limit bucket). scripts/serve.mjs calls this for every
// request before Next.js sees it: a connection from a proxy listed in OUTFLOW_TRUSTED_PROXIES
// keeps the chain and has the proxy's address appended; any other connection's forwarded
// headers are replaced by the connection's own address.
import { BlockList, isIP } from "node:net";

/** Parses OUTFLOW_TRUSTED_PROXIES: addresses or CIDR ranges, comma-separated. */
export function trustedProxyList(setting) {
  const list = new BlockList();
  for (const entry of (setting ?? "").split(",").map((part) => part.trim())) {
    if (!entry) continue;
    const [address, prefix] = entry.split("/");
    const family = isIP(address);
    if (!family) throw new Error(`OUTFLOW_TRUSTED_PROXIES: "${entry}" is not an address or range`);
    const type = family === 4 ? "ipv4" : "ipv6";
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

function plainAddress(address) {
  // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d.
  return address?.startsWith("::ffff:") && isIP(address.slice(7)) === 4
    ? address.slice(7)
    : address;
}

function isTrusted(list, address) {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 4 ? "ipv4" : "ipv6");
}

const FORWARDED_HEADERS = [
  "x-forwarded-for",
  "x-forwarded-host",
  "x-forwarded-proto",
  "x-forwarded-port",
  "x-real-ip",
  "forwarded",
];

/** Rewrites the forwarded headers of one incoming request (a Node headers object) in place. */
export function applyClientAddress(headers, remoteAddress, trusted) {
  const peer = plainAddress(remoteAddress);
  if (!peer) return;
  const chain = headers["x-forwarded-for"];
  if (isTrusted(trusted, peer)) {
    headers["x-forwarded-for"] = chain ? `${chain}, ${peer}` : peer;
    return;
  }
  for (const name of FORWARDED_HEADERS) delete headers[name];
  headers["x-forwarded-for"] = peer;
}
