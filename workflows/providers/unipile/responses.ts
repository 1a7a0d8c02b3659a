/**
 * What the adapter reads from Unipile's answers, checked with zod. The schemas are loose (extra
 * fields pass) and ask only for what Outflow uses, so a richer answer never breaks a send.
 */
import { z } from "zod";
import type { NetworkDistance, ProfileSnapshot } from "../types";

const optionalText = z.string().nullish();
const optionalFlag = z.boolean().nullish();

export const profileAnswer = z.looseObject({
  provider_id: z.string().min(1),
  public_identifier: optionalText,
  network_distance: optionalText,
  is_open_profile: optionalFlag,
  is_premium: optionalFlag,
  can_send_inmail: optionalFlag,
  is_relationship: optionalFlag,
  invitation: z.looseObject({ type: optionalText, status: optionalText }).nullish(),
});
export type ProfileAnswer = z.infer<typeof profileAnswer>;

export const invitationSentAnswer = z.looseObject({ invitation_id: optionalText });

export const invitationListAnswer = z.looseObject({
  items: z.array(
    z.looseObject({
      id: z.string(),
      invited_user_id: optionalText,
      invited_user_public_id: optionalText,
    }),
  ),
  cursor: optionalText,
});

/** Unipile gives `created_at` in epoch milliseconds; an ISO string is accepted too. */
const instant = z.union([z.number(), z.string()]).nullish();

export const relationListAnswer = z.looseObject({
  items: z.array(
    z.looseObject({
      member_id: optionalText,
      public_identifier: optionalText,
      created_at: instant,
    }),
  ),
  cursor: optionalText,
});
export type RelationItem = z.infer<typeof relationListAnswer>["items"][number];

export const chatStartedAnswer = z.looseObject({ chat_id: optionalText, message_id: optionalText });
export const messageSentAnswer = z.looseObject({ message_id: optionalText });

export const chatListAnswer = z.looseObject({
  items: z.array(z.looseObject({ id: z.string() })),
  cursor: optionalText,
});

/** The seat's chats (`GET /chats`): one attendee's member id per one-to-one chat. */
export const accountChatListAnswer = z.looseObject({
  items: z.array(
    z.looseObject({
      id: z.string(),
      attendee_provider_id: z.string().nullish(),
      type: z.number().nullish(),
      timestamp: optionalText,
    }),
  ),
  cursor: optionalText,
});

export const messageListAnswer = z.looseObject({
  items: z.array(
    z.looseObject({
      id: z.string(),
      text: z.string().nullish(),
      sender_id: z.string().nullish(),
      is_sender: z.union([z.number(), z.boolean()]).nullish(),
      timestamp: optionalText,
    }),
  ),
  cursor: optionalText,
});

const credits = z.number().nullish();
export const inmailBalanceAnswer = z.looseObject({
  premium: credits,
  recruiter: credits,
  sales_navigator: credits,
});

/** The three InMail credit counters of a seat; null where LinkedIn gives the seat none. */
export interface InmailBalances {
  premium: number | null;
  recruiter: number | null;
  salesNavigator: number | null;
}

export const accountAnswer = z.looseObject({
  id: z.string(),
  type: optionalText,
  name: optionalText,
  sources: z.array(z.looseObject({ status: optionalText })).nullish(),
});

const DISTANCES: Record<string, NetworkDistance> = {
  FIRST_DEGREE: 1,
  SECOND_DEGREE: 2,
  THIRD_DEGREE: 3,
  DISTANCE_1: 1,
  DISTANCE_2: 2,
  DISTANCE_3: 3,
  OUT_OF_NETWORK: null,
};

export function networkDistanceOf(profile: ProfileAnswer): NetworkDistance {
  if (profile.is_relationship) return 1;
  return DISTANCES[profile.network_distance ?? ""] ?? null;
}

/** What a profile read tells the engine about the lead. */
export function profileSnapshot(profile: ProfileAnswer): ProfileSnapshot {
  const networkDistance = networkDistanceOf(profile);
  const isOpenProfile = profile.is_open_profile ?? false;
  return {
    providerId: profile.provider_id,
    networkDistance,
    isPremium: profile.is_premium ?? false,
    isOpenProfile,
    // Without the flag: anyone outside the network can get an InMail, a connection cannot.
    canSendInmail: profile.can_send_inmail ?? (isOpenProfile || networkDistance !== 1),
  };
}

/** An instant from Unipile (epoch ms or ISO text), or null when absent or unreadable. */
export function instantOf(value: number | string | null | undefined): Date | null {
  if (value === null || value === undefined || value === "") return null;
  const date = typeof value === "number" ? new Date(value) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * LinkedIn's own refusal inside a 2xx answer of Unipile's raw route (`{data: {status: 4xx,
 * message…}}` or an `errors` list), as an error body; null when the answer reads as success.
 */
export function followAnswerFailure(
  answer: unknown,
): { status: number; type: string; title: string } | null {
  if (typeof answer !== "object" || answer === null) return null;
  const data = (answer as { data?: unknown }).data;
  const inner = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
  const status = typeof inner.status === "number" ? inner.status : null;
  const message =
    typeof inner.message === "string"
      ? inner.message
      : typeof inner.exceptionClass === "string"
        ? inner.exceptionClass
        : null;
  const errors = (answer as { errors?: unknown }).errors ?? inner.errors;
  if (status !== null && status >= 400) {
    return {
      status,
      type:
        status === 429
          ? "errors/too_many_requests"
          : status === 404
            ? "errors/invalid_recipient"
            : "errors/unprocessable_entity",
      title: `LinkedIn refused the follow${message ? `: ${message}` : ""}`,
    };
  }
  if (Array.isArray(errors) && errors.length > 0) {
    return {
      status: 422,
      type: "errors/unprocessable_entity",
      title: "LinkedIn refused the follow",
    };
  }
  return null;
}
