"use client";
import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { inviteMemberAction } from "@/app/(app)/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import { CopyLink } from "./copy-link";

export function InviteMemberForm() {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    startTransition(async () => {
      const result = await inviteMemberAction({
        email: String(form.get("email") ?? ""),
        role: form.get("role") === "admin" ? "admin" : "member",
      });
      if (!result.ok) {
        setError(result.error.message);
        return;
      }
      setError(null);
      setLink({ email: result.data.email, url: `${window.location.origin}${result.data.path}` });
      formElement.reset();
      router.refresh();
    });
  }

  return (
    <div className="space-y-3">
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" noValidate>
        <Field
          id="invite-email"
          name="email"
          type="email"
          label="Email"
          required
          className="min-w-64 flex-1"
        />
        <Select id="invite-role" name="role" label="Role" defaultValue="member" className="w-36">
          <option value="member">Member</option>
          <option value="admin">Admin</option>
        </Select>
        <Button type="submit" disabled={pending}>
          {pending ? "Inviting…" : "Create invitation"}
        </Button>
      </form>
      {error ? <Alert tone="error">{error}</Alert> : null}
      {link ? (
        <Alert tone="success">
          <p className="mb-2">Send this link to {link.email}:</p>
          <CopyLink url={link.url} />
        </Alert>
      ) : null}
    </div>
  );
}
