"use client";
import { type FormEvent, useState } from "react";
import { requestResult } from "@/components/ui/api";
import { Button } from "@/components/ui/button";
import { inputClass } from "@/components/ui/field";

/**
 * The colleague a reply points to. LinkedIn needs a profile to contact anyone, and a name is
 * not one: "Add as lead" opens a small form with the name filled in and asks for the profile.
 */
export function ReferralCard({ name }: { name: string }) {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [first, ...rest] = name.split(/\s+/);
  const search = `https://www.linkedin.com/search/results/people/?keywords=${encodeURIComponent(name)}`;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const result = await requestResult<{ imported: number }>("/api/leads/import", {
      method: "POST",
      body: {
        leads: [
          {
            publicIdentifier: String(form.get("profile") ?? "").trim(),
            firstName: String(form.get("firstName") ?? ""),
            lastName: String(form.get("lastName") ?? ""),
          },
        ],
      },
    });
    setStatus(
      result.ok
        ? { ok: true, text: `${name} was added to your leads.` }
        : {
            ok: false,
            text: Object.values(result.fieldErrors)[0]?.[0] ?? result.message,
          },
    );
  }

  return (
    <div className="mt-2 rounded-md bg-white p-2 text-xs ring-1 ring-sky-200">
      <p>
        Points to <strong>{name}</strong>.{" "}
        <a href={search} target="_blank" rel="noreferrer" className="text-brand-700 underline">
          Find on LinkedIn
        </a>
      </p>
      {!open ? (
        <Button
          variant="secondary"
          className="mt-1 px-2 py-1 text-xs"
          onClick={() => setOpen(true)}
        >
          Add as lead
        </Button>
      ) : (
        <form onSubmit={onSubmit} className="mt-2 grid gap-1.5">
          <input
            name="firstName"
            defaultValue={first ?? ""}
            aria-label="First name"
            className={inputClass}
          />
          <input
            name="lastName"
            defaultValue={rest.join(" ")}
            aria-label="Last name"
            className={inputClass}
          />
          <input
            name="profile"
            required
            placeholder="Their LinkedIn profile address"
            aria-label="LinkedIn profile address"
            className={inputClass}
          />
          <Button type="submit" className="px-2 py-1 text-xs">
            Add lead
          </Button>
        </form>
      )}
      {status ? (
        <p role="status" className={status.ok ? "mt-1 text-emerald-700" : "mt-1 text-red-700"}>
          {status.text}
        </p>
      ) : null}
    </div>
  );
}
