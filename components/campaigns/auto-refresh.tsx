"use client";
import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { requestJson } from "@/components/ui/api";

interface ListAnswer {
  campaigns: Array<{ id: string; status: string; counts: unknown; lastActivityAt: unknown }>;
}

/**
 * The campaign list's one poll: it asks the list API every few seconds (not while the tab is
 * hidden) and re-renders the page from the server only when a campaign's status, counts or
 * last activity changed — never on a timer by itself.
 */
export function AutoRefresh({ everyMs = 5000 }: { everyMs?: number }) {
  const router = useRouter();
  const query = useQuery({
    queryKey: ["campaign-list"],
    queryFn: () => requestJson<ListAnswer>("/api/campaigns"),
    refetchInterval: everyMs,
    refetchIntervalInBackground: false,
  });
  const fingerprint = query.data
    ? JSON.stringify(query.data.campaigns.map((c) => [c.id, c.status, c.counts, c.lastActivityAt]))
    : null;
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (fingerprint === null) return;
    if (seen.current !== null && seen.current !== fingerprint) router.refresh();
    seen.current = fingerprint;
  }, [fingerprint, router]);
  return null;
}
