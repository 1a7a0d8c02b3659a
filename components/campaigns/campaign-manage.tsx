"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import {
  archiveCampaignAction,
  deleteDraftAction,
  duplicateCampaignAction,
  renameCampaignAction,
  unarchiveCampaignAction,
} from "@/app/(app)/campaigns/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { formatNumber } from "@/components/ui/format";

type Dialog = "rename" | "duplicate" | "archive" | "delete" | null;

/**
 * Housekeeping of one campaign: rename, duplicate (with or without its leads), archive or bring
 * back, and delete while it is a draft never published. Admins and owners only.
 */
export function CampaignManage({
  campaign,
  canManage,
}: {
  campaign: { id: string; name: string; status: string; published: boolean; leadCount: number };
  canManage: boolean;
}) {
  const router = useRouter();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [name, setName] = useState(campaign.name);
  const [copyName, setCopyName] = useState(`Copy of ${campaign.name}`.slice(0, 100));
  const [withLeads, setWithLeads] = useState(false);
  if (!canManage) return null;
  const archived = campaign.status === "archived";
  const deletable = campaign.status === "draft" && !campaign.published;

  function open(which: Dialog) {
    setError(null);
    setNotice(null);
    setName(campaign.name);
    setCopyName(`Copy of ${campaign.name}`.slice(0, 100));
    setDialog(which);
  }

  function run(work: () => Promise<string | null>) {
    startTransition(async () => {
      const failure = await work();
      setError(failure);
      if (failure === null) setDialog(null);
    });
  }

  const rename = () =>
    run(async () => {
      const result = await renameCampaignAction({ campaignId: campaign.id, name });
      if (!result.ok) return result.error.message;
      router.refresh();
      return null;
    });

  const duplicate = () =>
    run(async () => {
      const result = await duplicateCampaignAction({
        campaignId: campaign.id,
        name: copyName,
        withLeads,
      });
      if (!result.ok) return result.error.message;
      router.push(`/campaigns/${result.data.id}`);
      return null;
    });

  const archive = () =>
    run(async () => {
      const result = archived
        ? await unarchiveCampaignAction({ campaignId: campaign.id })
        : await archiveCampaignAction({ campaignId: campaign.id });
      if (!result.ok) return result.error.message;
      setNotice(archived ? "Back in the list, paused." : "Archived: it no longer runs.");
      router.refresh();
      return null;
    });

  const remove = () =>
    run(async () => {
      const result = await deleteDraftAction({ campaignId: campaign.id });
      if (!result.ok) return result.error.message;
      router.push("/campaigns");
      return null;
    });

  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button variant="secondary" onClick={() => open("rename")}>
        Rename
      </Button>
      <Button variant="secondary" onClick={() => open("duplicate")}>
        Duplicate
      </Button>
      <Button variant="secondary" onClick={() => (archived ? archive() : open("archive"))}>
        {archived ? "Unarchive" : "Archive"}
      </Button>
      {deletable ? (
        <Button variant="danger" onClick={() => open("delete")}>
          Delete draft
        </Button>
      ) : null}
      {notice ? (
        <p role="status" className="text-sm text-slate-600">
          {notice}
        </p>
      ) : null}
      {error && dialog === null ? (
        <Alert tone="error" className="text-xs">
          {error}
        </Alert>
      ) : null}

      <ConfirmDialog
        open={dialog === "rename"}
        title="Rename the campaign"
        confirmLabel="Rename"
        busy={pending}
        onConfirm={rename}
        onCancel={() => setDialog(null)}
      >
        <Field
          id="campaign-rename"
          label="Name"
          value={name}
          maxLength={100}
          onChange={(event) => setName(event.target.value)}
          error={error ?? undefined}
        />
      </ConfirmDialog>

      <ConfirmDialog
        open={dialog === "duplicate"}
        title="Duplicate the campaign"
        confirmLabel="Duplicate"
        busy={pending}
        onConfirm={duplicate}
        onCancel={() => setDialog(null)}
      >
        <Field
          id="campaign-copy-name"
          label="Name of the copy"
          value={copyName}
          maxLength={100}
          onChange={(event) => setCopyName(event.target.value)}
          error={error ?? undefined}
        />
        <p>The copy is a draft with the same workflow and sender accounts; it does not run.</p>
        {campaign.published && campaign.leadCount > 0 ? (
          <label className="flex items-start gap-2">
            <input
              type="checkbox"
              className="mt-0.5"
              checked={withLeads}
              onChange={(event) => setWithLeads(event.target.checked)}
            />
            <span>
              Copy its {formatNumber(campaign.leadCount)} leads too (they wait until you launch the
              copy; those another campaign is still contacting are skipped).
            </span>
          </label>
        ) : null}
      </ConfirmDialog>

      <ConfirmDialog
        open={dialog === "archive"}
        title={`Archive ${campaign.name}?`}
        confirmLabel="Archive"
        busy={pending}
        onConfirm={archive}
        onCancel={() => setDialog(null)}
      >
        <p>
          It stops at once — no lead moves on — and leaves the campaign list. Its history stays;
          “Show archived” on the list brings it back.
        </p>
        {error ? <Alert tone="error">{error}</Alert> : null}
      </ConfirmDialog>

      <ConfirmDialog
        open={dialog === "delete"}
        title={`Delete the draft ${campaign.name}?`}
        confirmLabel="Delete"
        tone="danger"
        busy={pending}
        onConfirm={remove}
        onCancel={() => setDialog(null)}
      >
        <p>The draft and its workflow are deleted for good.</p>
        {error ? <Alert tone="error">{error}</Alert> : null}
      </ConfirmDialog>
    </div>
  );
}
