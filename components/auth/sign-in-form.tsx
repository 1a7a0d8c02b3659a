"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { authClient } from "./auth-client";
import { safeNextPath } from "./safe-next-path";

function signInErrorMessage(status: number | undefined, message: string | undefined): string {
  if (status === 401) return "Wrong email or password.";
  if (status === 429) return "Too many sign-in attempts. Wait a minute, then try again.";
  return message || "Sign-in failed. Try again.";
}

export function SignInForm() {
  const router = useRouter();
  const params = useSearchParams();
  const next = params.get("next");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const { error: failure } = await authClient.signIn.email({
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    });
    if (failure) {
      setPending(false);
      setError(signInErrorMessage(failure.status, failure.message));
      return;
    }
    router.replace(safeNextPath(next, window.location.origin));
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {params.get("expired") ? (
        <Alert tone="warning">Your session has expired. Sign in again to continue.</Alert>
      ) : null}
      {error ? <Alert tone="error">{error}</Alert> : null}
      <Field id="email" name="email" type="email" label="Email" autoComplete="email" required />
      <Field
        id="password"
        name="password"
        type="password"
        label="Password"
        autoComplete="current-password"
        required
      />
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      <p className="text-center text-sm text-slate-600">
        New to Outflow?{" "}
        <Link
          className="font-medium text-brand-600 hover:underline"
          href={`/sign-up${next ? `?next=${encodeURIComponent(next)}` : ""}`}
        >
          Create an account
        </Link>
      </p>
    </form>
  );
}
