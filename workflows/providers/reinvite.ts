/**
 * LinkedIn's rule on withdrawn invitations: the same seat cannot invite the person again for
 * about three weeks. The sandbox enforces it; the engine plans around it.
 */

const DAY_MS = 86_400_000;

/** LinkedIn blocks a new invitation to a person for this long after a withdrawal. */
export const REINVITE_BLOCK_DAYS = 21;

/**
 * When the person may be invited again from the seat after the withdrawals of their invitations
 * (`withdrawnAt`), or null when nothing blocks it at `now`.
 */
export function reinviteBlockedUntil(withdrawnAt: readonly Date[], now: Date): Date | null {
  let until: number | null = null;
  for (const at of withdrawnAt) {
    const end = at.getTime() + REINVITE_BLOCK_DAYS * DAY_MS;
    if (end > now.getTime() && (until === null || end > until)) until = end;
  }
  return until === null ? null : new Date(until);
}
