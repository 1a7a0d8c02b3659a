import type { BlockList } from "node:net";

export function trustedProxyList(setting: string | undefined): BlockList;
export function applyClientAddress(
  headers: Record<string, string | string[] | undefined>,
  remoteAddress: string | undefined,
  trusted: BlockList,
): void;
