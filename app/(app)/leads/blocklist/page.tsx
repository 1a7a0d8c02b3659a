import Link from "next/link";
import { BlocklistForm } from "@/components/leads/blocklist-form";
import { BlocklistTable } from "@/components/leads/blocklist-table";
import { Pager } from "@/components/leads/pager";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { inputClass } from "@/components/ui/field";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/db/queries/workspaces";
import { requirePageCaller } from "@/server/http/page-caller";
import { listBlocklistEntries, listBlocklistInput } from "@/server/leads/list-blocklist-entries";

export const metadata = { title: "Blocklist · Outflow" };

const first = (value: string | string[] | undefined) =>
  (Array.isArray(value) ? value[0] : value) ?? "";

export default async function BlocklistPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const caller = await requirePageCaller();
  const canManage = roleAtLeast(caller.workspace.role, "admin");
  const params = await searchParams;
  const parsed = listBlocklistInput.safeParse({
    search: first(params.q).trim().slice(0, 100),
    page: first(params.page) || undefined,
  });
  const input = parsed.success ? parsed.data : listBlocklistInput.parse({});
  const { entries, total, page, pageSize } = await listBlocklistEntries(caller, input);
  return (
    <>
      <nav className="mb-2 text-sm">
        <Link href="/leads" className="text-slate-500 hover:text-slate-800">
          ← Leads
        </Link>
      </nav>
      <PageHeader
        title="Blocklist"
        description="People no campaign of this workspace may contact: they are never enrolled, and adding someone stops the campaigns contacting them."
      />
      <div className="grid gap-6">
        <Card>
          <CardHeader title="Add to the blocklist" />
          <div className="px-5 py-4">
            <BlocklistForm canManage={canManage} />
          </div>
        </Card>
        <Card>
          <CardHeader
            title="On the blocklist"
            action={
              <form method="get" className="flex items-center gap-2">
                <label htmlFor="blocklist-search" className="sr-only">
                  Search the blocklist
                </label>
                <input
                  id="blocklist-search"
                  name="q"
                  defaultValue={input.search ?? ""}
                  placeholder="Identifier or reason"
                  className={`${inputClass} w-56`}
                />
                <Button type="submit" variant="secondary">
                  Search
                </Button>
              </form>
            }
          />
          {entries.length === 0 ? (
            <p className="px-5 py-6 text-sm text-slate-600">
              {input.search ? "No entry matches." : "Nobody is on the blocklist."}
            </p>
          ) : (
            <BlocklistTable
              canManage={canManage}
              entries={entries.map((entry) => ({
                ...entry,
                createdAt: new Date(entry.createdAt).toISOString(),
              }))}
            />
          )}
          <div className="border-t border-slate-100 px-5 py-3">
            <Pager
              path="/leads/blocklist"
              query={{ q: input.search ?? "" }}
              page={page}
              pageSize={pageSize}
              total={total}
            />
          </div>
        </Card>
      </div>
    </>
  );
}
