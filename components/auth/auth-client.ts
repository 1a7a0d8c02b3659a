"use client";
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient();

/** Only same-site paths are followed after sign-in, never another origin. */
export function safeNextPath(next: string | null | undefined, fallback = "/campaigns"): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) {
    return fallback;
  }
  return next;
}
