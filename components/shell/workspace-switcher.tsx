"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { switchWorkspaceAction } from "@/app/(app)/actions";
import { inputClass } from "@/components/ui/field";
import type { ShellWorkspace } from "./app-shell";

export function WorkspaceSwitcher({
  current,
  workspaces,
}: {
  current: ShellWorkspace;
  workspaces: ShellWorkspace[];
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div>
      <label htmlFor="workspace-switcher" className="mb-1 block text-xs font-medium text-slate-500">
        Workspace
      </label>
      <select
        id="workspace-switcher"
        className={inputClass}
        value={current.id}
        disabled={pending || workspaces.length < 2}
        onChange={(event) => {
          const workspaceId = event.target.value;
          startTransition(async () => {
            const result = await switchWorkspaceAction({ workspaceId });
            if (!result.ok) setError(result.error.message);
            else {
              setError(null);
              router.refresh();
            }
          });
        }}
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
      {error ? <p className="mt-1 text-xs text-red-700">{error}</p> : null}
    </div>
  );
}
