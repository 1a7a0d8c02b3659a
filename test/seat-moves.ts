import { and, eq, like } from "drizzle-orm";
import type { Database } from "@/db/client";
import { enrollment, enrollmentStep } from "@/db/schema";
import type { SandboxReceived } from "@/workflows/providers/sandbox/store";

/** The enrollments of a campaign moved off a seat by rotation, one line per move. */
export async function movesOffSeat(db: Database, campaignId: string, seatName: string) {
  const rows = await db
    .select({ enrollmentId: enrollmentStep.enrollmentId })
    .from(enrollmentStep)
    .innerJoin(enrollment, eq(enrollment.id, enrollmentStep.enrollmentId))
    .where(
      and(
        eq(enrollment.campaignId, campaignId),
        like(enrollmentStep.note, `Moved from seat ${seatName} to seat %`),
      ),
    );
  return rows.map((row) => row.enrollmentId);
}

/**
 * The one seat each person heard from, by public identifier; a person who heard from two seats
 * is named (or null when nobody did).
 */
export function seatPerPerson(received: readonly SandboxReceived[]): {
  seatOf: Map<string, string>;
  twoSeats: string | null;
} {
  const seatOf = new Map<string, string>();
  let twoSeats: string | null = null;
  for (const r of received) {
    const seat = seatOf.get(r.leadPublicIdentifier);
    if (seat !== undefined && seat !== r.providerAccountId) twoSeats ??= r.leadPublicIdentifier;
    seatOf.set(r.leadPublicIdentifier, seat ?? r.providerAccountId);
  }
  return { seatOf, twoSeats };
}
