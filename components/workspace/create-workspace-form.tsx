"use client";
import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { createWorkspaceAction } from "@/app/(app)/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function CreateWorkspaceForm() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name") ?? "");
    startTransition(async () => {
      const result = await createWorkspaceAction({ name });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setError(null);
      router.push("/campaigns");
      router.refresh();
    });
  }
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" noValidate>
      <Field
        id="workspace-name"
        name="name"
        label="Workspace name"
        required
        error={error ?? undefined}
        className="min-w-64 flex-1"
      />
      <Button type="submit" variant="secondary" disabled={pending}>
        {pending ? "Creating…" : "Create workspace"}
      </Button>
    </form>
  );
}
