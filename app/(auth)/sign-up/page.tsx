import { Suspense } from "react";
import { SignUpForm } from "@/components/auth/sign-up-form";

export const metadata = { title: "Create your account · Outflow" };

export default function SignUpPage() {
  return (
    <>
      <h1 className="mb-1 text-lg font-semibold">Create your account</h1>
      <p className="mb-5 text-sm text-slate-600">
        You get your own workspace to invite your team to.
      </p>
      <Suspense>
        <SignUpForm />
      </Suspense>
    </>
  );
}
