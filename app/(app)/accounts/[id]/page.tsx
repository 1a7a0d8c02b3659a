import Link from "next/link";
import { notFound } from "next/navigation";
import { AccountSettingsForm } from "@/components/accounts/account-settings-form";
import { AccountStatusButton } from "@/components/accounts/account-status-button";
import { describeDays, providerLabel } from "@/components/accounts/account-table";
import { NextScheduledAction } from "@/components/accounts/next-scheduled-action";
import { SafetyScorePanel } from "@/components/accounts/safety-score";
import { UsageMeter } from "@/components/accounts/usage-meter";
import { WarmupChart } from "@/components/accounts/warmup-chart";
import { StatusBadge } from "@/components/campaigns/status-badge";
import { Alert } from "@/components/ui/alert";
import { Card, CardHeader } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { roleAtLeast } from "@/db/queries/workspaces";
import { describeAccount } from "@/server/accounts/describe-account";
import { HttpError } from "@/server/http/errors";
import { requirePageCaller } from "@/server/http/page-caller";
import type { AccountDetail } from "@/views/accounts";
import { PacingSettingsSchema } from "@/workflows/engine/pacing/settings";

export const metadata = { title: "Account · Outflow" };

export default async function AccountPage({ params }: { params: Promise<{ id: string }> }) {
  const caller = await requirePageCaller();
  const { id } = await params;
  let detail: AccountDetail;
  try {
    detail = await describeAccount(caller, { accountId: id });
  } catch (error) {
    // Another workspace's account is as absent as one that never existed.
    if (error instanceof HttpError && error.status === 404) notFound();
    throw error;
  }
  const canManage = roleAtLeast(caller.workspace.role, "admin");
  const { account, settings, state, schedule, safety, warmup } = detail;
  const toneOf = { active: "success", cooling_down: "warning", paused: "warning" } as const;
  const tone = toneOf[state.status as keyof typeof toneOf] ?? "error";

  return (
    <>
      <nav className="mb-2 text-sm">
        <Link href="/accounts" className="text-slate-500 hover:text-slate-800">
          ← Accounts
        </Link>
      </nav>
      <PageHeader
        title={account.name}
        description={`${providerLabel(account.provider)}${
          settings
            ? ` · ${describeDays(account.workingHours.days)} ${account.workingHours.start}–${account.workingHours.end} · ${account.timeZone}`
            : ""
        }`}
        actions={
          <>
            <StatusBadge status={account.status} />
            <AccountStatusButton
              accountId={account.id}
              accountName={account.name}
              status={account.status}
              canManage={canManage}
            />
          </>
        }
      />
      <div className="grid gap-6">
        <Alert tone={tone}>
          <p className="font-medium">{state.headline}</p>
          {state.detail ? <p className="mt-0.5">{state.detail}</p> : null}
        </Alert>

        {settings ? null : (
          <Alert tone="error">
            This account's pacing settings cannot be read, so the engine leaves it alone. Save new
            settings below to repair them.
          </Alert>
        )}

        <div className="grid gap-6 lg:grid-cols-2">
          <Card>
            <CardHeader
              title="Safety score"
              description="How close its recent behaviour is to what gets seats restricted. The weakest of four factors sets the score."
            />
            <div className="px-5 py-4">
              {safety ? (
                <SafetyScorePanel safety={safety} />
              ) : (
                <p className="text-sm text-slate-500">No score without readable settings.</p>
              )}
            </div>
          </Card>
          <div className="grid content-start gap-6">
            <Card>
              <CardHeader
                title="Next scheduled action"
                description="What the engine takes up next for this account."
              />
              <div className="px-5 py-4">
                <NextScheduledAction
                  schedule={schedule}
                  timeZone={account.timeZone}
                  now={detail.now}
                />
              </div>
            </Card>
            <Card>
              <CardHeader
                title="Today's usage"
                description={
                  account.usage
                    ? `${account.usage.localDate} in ${account.timeZone}, against the caps in force today${
                        account.usage.warmupFactor < 1
                          ? ` (warming up: ${Math.round(account.usage.warmupFactor * 100)} %)`
                          : ""
                      }.`
                    : undefined
                }
              />
              <div className="px-5 py-4">
                {account.usage ? (
                  <UsageMeter usage={account.usage} wide />
                ) : (
                  <p className="text-sm text-slate-500">No usage without readable settings.</p>
                )}
              </div>
            </Card>
          </div>
        </div>

        {warmup.length > 0 ? (
          <Card>
            <CardHeader
              title="Warm-up: caps over the next five weeks"
              description="The caps in force each day, as the engine enforces them."
            />
            <div className="px-5 py-4">
              <WarmupChart days={warmup} />
            </div>
          </Card>
        ) : null}

        <Card>
          <CardHeader
            title="Settings"
            description="Time zone, working hours, caps, warm-up and the safety threshold of this account."
          />
          <div className="px-5 py-4">
            <AccountSettingsForm
              accountId={account.id}
              settings={settings ?? PacingSettingsSchema.parse({ timeZone: "UTC" })}
              canManage={canManage}
            />
          </div>
        </Card>
      </div>
    </>
  );
}
