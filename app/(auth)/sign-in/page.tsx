import { Suspense } from "react";
import { SignInForm } from "@/components/auth/sign-in-form";

export const metadata = { title: "Sign in · Outflow" };

export default function SignInPage() {
  return (
    <>
      <h1 className="mb-5 text-lg font-semibold">Sign in to your workspace</h1>
      <Suspense>
        <SignInForm />
      </Suspense>
    </>
  );
}
