import "server-only";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { HttpError } from "./errors";
import { type Caller, resolveCaller } from "./guard";

/** The caller for a server-rendered page, or null when nobody is signed in. */
export async function optionalPageCaller(): Promise<Caller | null> {
  try {
    return await resolveCaller(await headers());
  } catch (error) {
    if (error instanceof HttpError && error.status === 401) return null;
    throw error;
  }
}

/** The caller for a page that needs one; sends everyone else to sign in and back. */
export async function requirePageCaller(): Promise<Caller> {
  const requestHeaders = await headers();
  let failure: HttpError | null = null;
  try {
    return await resolveCaller(requestHeaders);
  } catch (error) {
    if (!(error instanceof HttpError) || error.status !== 401) throw error;
    failure = error;
  }
  const params = new URLSearchParams();
  if (failure.code === "session_expired") params.set("expired", "1");
  params.set("next", requestHeaders.get("x-outflow-path") ?? "/campaigns");
  redirect(`/sign-in?${params.toString()}`);
}
