import { parseInput, readJson, withWorkspace, workspaceRoute } from "@/server/http/guard";
import { addBlocklistEntries, addToBlocklistInput } from "@/server/leads/add-blocklist-entries";
import { listBlocklistEntries, listBlocklistInput } from "@/server/leads/list-blocklist-entries";
import {
  removeBlocklistEntries,
  removeFromBlocklistInput,
} from "@/server/leads/remove-blocklist-entries";

/** The workspace blocklist: `?search=` narrows, `?page=` pages. */
export const GET = withWorkspace(async (request, caller) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  return Response.json(await listBlocklistEntries(caller, parseInput(listBlocklistInput, query)));
});

/** Adds profile addresses or public identifiers; campaigns contacting them stop. */
export const POST = workspaceRoute(addToBlocklistInput, addBlocklistEntries, { role: "admin" });

/** Removes `{publicIdentifiers: [...]}` from the blocklist (a body, as identifiers may be many). */
export const DELETE = withWorkspace(
  async (request, caller) => {
    const input = parseInput(removeFromBlocklistInput, await readJson(request));
    return Response.json(await removeBlocklistEntries(caller, input));
  },
  { role: "admin" },
);
