/**
 * The engine's only view of LinkedIn. The sandbox world and the Unipile adapter implement it;
 * the engine never learns which one it talks to.
 */
import type { ActionKind, ActionRequest, KindNotSentReason } from "../nodes/catalog";

export type { ActionKind, ActionRequest };

/** The sender seat as the provider knows it. */
export interface ProviderAccountRef {
  /** Outflow's id of the sender account. */
  accountId: string;
  /** The provider's id of the seat (Unipile account id, or the sandbox account id). */
  providerAccountId: string;
  /**
   * The LinkedIn product the seat's InMails go through, from its plan: classic Premium, Sales
   * Navigator or Recruiter. Classic when absent.
   */
  linkedinApi?: LinkedinApi;
}

/** LinkedIn's products, each with its own member ids and InMail counter. */
export const LINKEDIN_APIS = ["classic", "sales_navigator", "recruiter"] as const;
export type LinkedinApi = (typeof LINKEDIN_APIS)[number];

/** Who is contacted. A LinkedIn identity, never only a URL. */
export interface ProviderLeadRef {
  leadId: string;
  publicIdentifier: string;
  /** The provider's member id once known (filled in by a visit). */
  providerId?: string | null;
}

/** 1st / 2nd / 3rd degree, or null when out of network. */
export type NetworkDistance = 1 | 2 | 3 | null;

/** What a profile read tells about the lead; refreshed by every visit. */
export interface ProfileSnapshot {
  providerId: string;
  networkDistance: NetworkDistance;
  isPremium: boolean;
  isOpenProfile: boolean;
  canSendInmail: boolean;
}

/** Why a send did not happen, in the product's words; each routes the lead somewhere. */
export const NOT_SENT_REASONS = [
  "no_credit",
  "budget_reached",
  "recipient_refuses_inmail",
  "not_reachable",
  "not_connected",
  "already_invited",
  "already_connected",
  "replied",
] as const;
/** The shared reasons, and those a step kind declares for its own action ("no_recent_post"). */
export type NotSentReason = (typeof NOT_SENT_REASONS)[number] | KindNotSentReason;

/** Every send carries the idempotency key of its action, so a provider can spot a repeat. */
export interface SendContext {
  idempotencyKey: string;
  /** The instant the engine considers "now" (virtual in tests and simulations). */
  at: Date;
}

export type ProviderOutcome =
  | {
      status: "sent";
      /** The provider's reference: invitation id, message id, chat id… */
      reference?: string | null;
      chatId?: string | null;
      /** For an InMail: whether a paid credit was used (false for an open profile). */
      creditUsed?: boolean;
      profile?: ProfileSnapshot;
    }
  /** The lead cannot get this action; the engine routes them (not-sent exit, or out). */
  | { status: "not_sent"; reason: NotSentReason; detail?: string }
  /** A provider limit: not today. The account cools down; the action is retried later. */
  | { status: "limited"; detail?: string }
  /** The account is restricted: all its work stops. */
  | { status: "restricted"; detail?: string }
  /** The account needs reconnecting. */
  | { status: "disconnected"; detail?: string }
  /**
   * The request was refused as malformed (a bug or a drift, never the lead's doing): the
   * action failed, the lead stays at its step and is retried later, a bounded number of times.
   */
  | { status: "failed"; detail?: string }
  /** The seat lacks what the action needs (a plan, a feature): the seat pauses, not the lead. */
  | { status: "seat_unavailable"; detail?: string }
  /** The workspace's provider credentials were refused: seats keep their status, leads wait. */
  | { status: "credentials"; detail?: string }
  /** This person cannot get the action yet (a withdrawn invitation): the lead waits until then. */
  | { status: "wait"; until: Date; detail?: string }
  /** Timeout or server error: the send may or may not have happened. Reconcile first. */
  | { status: "unknown"; detail?: string };

/** What reconciliation learned about an action whose outcome was unknown. */
export type ReconcileResult =
  | { status: "sent"; reference?: string | null; chatId?: string | null }
  | { status: "not_sent" }
  | { status: "unknown" };

export interface Provider {
  readonly name: "sandbox" | "unipile";
  /** Performs one action; the request is the one the step's module built for this lead. */
  perform<Kind extends ActionKind>(
    kind: Kind,
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    request: ActionRequest<Kind>,
    ctx: SendContext,
  ): Promise<ProviderOutcome>;
  /** Did an action with this key (or to this lead, of this kind, since `since`) go through? */
  reconcile(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    input: { kind: ActionKind; idempotencyKey: string; since: Date },
  ): Promise<ReconcileResult>;
  /** Paid InMail credits left on the seat, or null when the provider cannot tell. */
  inmailBalance(account: ProviderAccountRef): Promise<number | null>;
  /**
   * Withdraws a pending invitation by the reference its sending returned: `sent` when it was
   * withdrawn, `not_sent` when it was no longer pending. Absent: the provider cannot withdraw.
   */
  withdrawInvitation?(
    account: ProviderAccountRef,
    invitationId: string,
    ctx: SendContext,
  ): Promise<ProviderOutcome>;
}

/** How an implementation performs each action kind: tsc names a kind it does not answer. */
export type ActionHandlers = {
  readonly [Kind in ActionKind]: (
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    request: ActionRequest<Kind>,
    ctx: SendContext,
  ) => Promise<ProviderOutcome>;
};

/** `Provider.perform` over one handler per action kind. */
export function performWith(handlers: ActionHandlers): Provider["perform"] {
  return (kind, account, lead, request, ctx) =>
    (handlers[kind] as ActionHandlers[typeof kind])(account, lead, request, ctx);
}

/** Something that happened on LinkedIn, as the engine stores it before processing it. */
export interface InboundEvent {
  /** The provider's id for the event (message id, relation id…): the de-duplication key. */
  externalId: string;
  type: "accepted" | "replied" | "account_status";
  providerAccountId: string;
  /** The lead's provider id or public identifier, when the event concerns a lead. */
  leadProviderId?: string | null;
  leadPublicIdentifier?: string | null;
  chatId?: string | null;
  /** When it happened on LinkedIn (not when it arrived). */
  occurredAt: Date;
  /** For account_status: OK, CREDENTIALS, STOPPED… */
  accountStatus?: string;
  /** For replied: the text of the reply, when the provider gives it. */
  text?: string | null;
}

/** A seat's LinkedIn plan: chosen when the seat is connected, it says how InMail is sent. */
export const LINKEDIN_PLANS = [
  "premium",
  "sales_navigator",
  "recruiter_lite",
  "recruiter_professional",
] as const;
export type LinkedinPlan = (typeof LINKEDIN_PLANS)[number];

export const LINKEDIN_PLAN_LABELS: Record<LinkedinPlan, string> = {
  premium: "Premium (classic LinkedIn)",
  sales_navigator: "Sales Navigator",
  recruiter_lite: "Recruiter Lite",
  recruiter_professional: "Recruiter Professional",
};

/** The LinkedIn product a plan's InMails go through (and whose credit counter they use). */
export function apiOfPlan(plan: string | null | undefined): LinkedinApi {
  switch (plan) {
    case "sales_navigator":
      return "sales_navigator";
    case "recruiter_lite":
    case "recruiter_professional":
      return "recruiter";
    default:
      return "classic";
  }
}
