"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { authClient } from "./auth-client";
import { safeNextPath } from "./safe-next-path";

export function SignUpForm() {
  const router = useRouter();
  const params = useSearchParams();
  const next = params.get("next");
  const [error, setError] = useState<{ message: string; emailTaken?: boolean } | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    if (name.length < 2) {
      setError({ message: "Enter your name (at least 2 characters)." });
      return;
    }
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.signUp.email({
      name,
      email: String(form.get("email") ?? "").trim(),
      password: String(form.get("password") ?? ""),
    });
    if (failure) {
      setPending(false);
      const emailTaken = failure.status === 422 || /already exists/i.test(failure.message ?? "");
      setError({
        emailTaken,
        message: emailTaken
          ? "An account with this email already exists."
          : failure.status === 429
            ? "Too many attempts. Wait a minute, then try again."
            : failure.message || "Sign-up failed. Try again.",
      });
      return;
    }
    router.replace(safeNextPath(next, window.location.origin));
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {error ? (
        <Alert tone="error">
          {error.message}{" "}
          {error.emailTaken ? (
            <Link className="font-medium underline" href="/sign-in">
              Sign in instead
            </Link>
          ) : null}
        </Alert>
      ) : null}
      <Field id="name" name="name" label="Your name" autoComplete="name" required />
      <Field
        id="email"
        name="email"
        type="email"
        label="Work email"
        autoComplete="email"
        required
      />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="new-password"
        hint="At least 10 characters, with letters and a number or symbol."
        required
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating your workspace…" : "Create account"}
      </Button>
      <p className="text-center text-sm text-slate-600">
        Already have an account?{" "}
        <Link className="font-medium text-brand-600 hover:underline" href="/sign-in">
          Sign in
        </Link>
      </p>
    </form>
  );
}
