import { readFile } from "node:fs/promises";
import path from "node:path";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/db/queries/workspaces";
import { requirePageCaller } from "@/server/http/page-caller";

export const metadata = { title: "Connecting real LinkedIn accounts · Outflow" };

const SECTION = "## Connecting real LinkedIn accounts";

/** The README's Unipile set-up section, for the owners and admins who do the set-up. */
export default async function UnipileHelpPage() {
  const caller = await requirePageCaller();
  if (!roleAtLeast(caller.workspace.role, "admin")) notFound();
  const readme = await readFile(path.join(process.cwd(), "README.md"), "utf8").catch(() => "");
  const start = readme.indexOf(SECTION);
  const rest = start === -1 ? "" : readme.slice(start + SECTION.length);
  const end = rest.search(/^## /m);
  const section = (end === -1 ? rest : rest.slice(0, end)).trim();
  return (
    <>
      <PageHeader
        title="Connecting real LinkedIn accounts"
        description="From the README: what the server needs before a workspace can connect seats through Unipile."
      />
      {section ? (
        <pre className="whitespace-pre-wrap rounded-lg bg-white p-5 font-sans text-sm leading-relaxed text-slate-800 ring-1 ring-slate-200">
          {section}
        </pre>
      ) : (
        <p className="text-sm text-slate-600">
          See the section “Connecting real LinkedIn accounts” in the README of your Outflow copy.
        </p>
      )}
    </>
  );
}
