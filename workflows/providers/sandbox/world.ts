/**
 * The sandbox world: a simulated LinkedIn that implements the Provider port, so the app does
 * real work on a fresh machine and tests can check what "LinkedIn" saw.
 *
 * Deterministic: time comes only from `ctx.at` / `now`, and every random outcome is a named draw
 * keyed by (seed, account, person, what, ordinal), where the ordinal counts earlier deliveries of
 * that kind from that account to that person. A person's fate therefore depends on the seed and
 * on what was sent to *them*, never on other leads or on the order leads are processed in.
 */
import { bernoulli, drawLogUniform, type SeedPart, seedFor } from "../../random";
import { REINVITE_BLOCK_DAYS, reinviteBlockedUntil } from "../reinvite";
import type {
  ActionKind,
  ActionRequest,
  InboundEvent,
  NotSentReason,
  ProfileSnapshot,
  Provider,
  ProviderAccountRef,
  ProviderLeadRef,
  ProviderOutcome,
  ReconcileResult,
  SendContext,
} from "../types";
import { performWith } from "../types";
import { baseNetworkDistance, personFor, type SandboxPerson, sandboxId } from "./people";
import { drawReplyLanguage, generateReply } from "./replies";
import type {
  EventFilter,
  ReceivedFilter,
  SandboxAccountState,
  SandboxEvent,
  SandboxReceived,
  SandboxStore,
  SandboxWithdrawal,
} from "./store";
import {
  accountSettings,
  type SandboxCall,
  type SandboxScript,
  type SandboxWorldSettings,
  type SandboxWorldSettingsInput,
  SandboxWorldSettingsSchema,
} from "./world-settings";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The share of people who post at all. */
const POSTING_SHARE = 0.75;

export interface SandboxWorldOptions {
  seed: string | number;
  /** Input or already-parsed settings; omitted: every default. */
  settings?: SandboxWorldSettingsInput;
  store: SandboxStore;
  /** Scripted failures for tests (see `SandboxScript`). */
  script?: SandboxScript;
}

type SendCall = Extract<SandboxCall, { at: Date }>;

/** What the world decided to do with one send, before the safety check and the recording. */
type Delivery =
  | { status: "not_sent"; reason: NotSentReason; detail?: string }
  | { status: "wait"; until: Date; detail?: string }
  | {
      status: "deliver";
      record: Omit<SandboxReceived, "at" | "providerAccountId" | "leadPublicIdentifier" | "kind">;
      /** Consequences of the delivery (events, credits), run once it is recorded. */
      after?: (record: SandboxReceived) => Promise<void>;
    };

export class SandboxWorld implements Provider {
  readonly name = "sandbox" as const;
  readonly seed: string | number;
  readonly settings: SandboxWorldSettings;
  readonly store: SandboxStore;
  readonly #script: SandboxScript | undefined;

  constructor(options: SandboxWorldOptions) {
    this.seed = options.seed;
    this.settings = SandboxWorldSettingsSchema.parse(options.settings ?? {});
    this.store = options.store;
    this.#script = options.script;
  }

  // ── The Provider port ────────────────────────────────────────────────────────────────────

  readonly perform = performWith({
    visit: (account, lead, _request, ctx) => this.visit(account, lead, ctx),
    follow: (account, lead, _request, ctx) => this.follow(account, lead, ctx),
    connect: (account, lead, request, ctx) => this.invite(account, lead, request, ctx),
    message: (account, lead, request, ctx) => this.message(account, lead, request, ctx),
    inmail: (account, lead, request, ctx) => this.inmail(account, lead, request, ctx),
    like_post: (account, lead, request, ctx) => this.likePost(account, lead, request, ctx),
  });

  visit(account: ProviderAccountRef, lead: ProviderLeadRef, ctx: SendContext) {
    return this.#send(
      { method: "visit", account, lead, idempotencyKey: ctx.idempotencyKey, at: ctx.at },
      "visit",
      async (person) => ({
        status: "deliver",
        record: {
          providerId: person.providerId,
          idempotencyKey: ctx.idempotencyKey,
          reference: sandboxId("sbx_visit_", account.providerAccountId, ctx.idempotencyKey),
          chatId: null,
          profile: await this.profile(account.providerAccountId, person.publicIdentifier, ctx.at),
        },
      }),
    );
  }

  follow(account: ProviderAccountRef, lead: ProviderLeadRef, ctx: SendContext) {
    return this.#send(
      { method: "follow", account, lead, idempotencyKey: ctx.idempotencyKey, at: ctx.at },
      "follow",
      async (person) => ({
        status: "deliver",
        record: {
          providerId: person.providerId,
          idempotencyKey: ctx.idempotencyKey,
          reference: sandboxId("sbx_follow_", account.providerAccountId, ctx.idempotencyKey),
          chatId: null,
        },
      }),
    );
  }

  invite(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    input: { note: string | null },
    ctx: SendContext,
  ) {
    const accountId = account.providerAccountId;
    return this.#send(
      { method: "invite", account, lead, idempotencyKey: ctx.idempotencyKey, at: ctx.at, input },
      "connect",
      async (person) => {
        if (await this.isConnected(accountId, person.publicIdentifier, ctx.at)) {
          return { status: "not_sent", reason: "already_connected" };
        }
        const earlier = await this.store.listReceived({
          providerAccountId: accountId,
          leadPublicIdentifier: person.publicIdentifier,
          kind: "connect",
        });
        const withdrawn = await this.#withdrawalsOf(accountId, person.publicIdentifier);
        // LinkedIn's rule: no new invitation for three weeks after a withdrawal.
        const blockedUntil = reinviteBlockedUntil(
          withdrawn.map((w) => w.at),
          ctx.at,
        );
        if (blockedUntil !== null) {
          return { status: "wait", until: blockedUntil, detail: "cannot_resend_yet" };
        }
        // Not connected by now, so no earlier invitation has been accepted by now: one that was
        // not withdrawn is still pending.
        const withdrawnKeys = new Set(withdrawn.map((w) => w.invitationKey));
        if (earlier.some((invitation) => !withdrawnKeys.has(invitation.idempotencyKey))) {
          return { status: "not_sent", reason: "already_invited" };
        }
        if (person.unreachable) return { status: "not_sent", reason: "not_reachable" };
        const ordinal = earlier.length;
        return {
          status: "deliver",
          record: {
            providerId: person.providerId,
            idempotencyKey: ctx.idempotencyKey,
            reference: sandboxId("sbx_inv_", accountId, ctx.idempotencyKey),
            chatId: null,
            note: input.note,
          },
          after: (record) => this.#scheduleAcceptance(record, person, ordinal, ctx.at),
        };
      },
    );
  }

  message(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    input: { text: string; chatId?: string | null },
    ctx: SendContext,
  ) {
    const accountId = account.providerAccountId;
    return this.#send(
      { method: "message", account, lead, idempotencyKey: ctx.idempotencyKey, at: ctx.at, input },
      "message",
      async (person) => {
        if (!(await this.isConnected(accountId, person.publicIdentifier, ctx.at))) {
          return { status: "not_sent", reason: "not_connected" };
        }
        if (person.unreachable) return { status: "not_sent", reason: "not_reachable" };
        const ordinal = await this.store.countReceived({
          providerAccountId: accountId,
          leadPublicIdentifier: person.publicIdentifier,
          kind: "message",
        });
        const settings = accountSettings(this.settings, accountId);
        return {
          status: "deliver",
          record: {
            providerId: person.providerId,
            idempotencyKey: ctx.idempotencyKey,
            reference: sandboxId("sbx_msg_", accountId, ctx.idempotencyKey),
            // One conversation per account and person, whatever chat id the caller passes.
            chatId: this.connectionChatId(accountId, person.publicIdentifier),
            text: input.text,
          },
          after: (record) =>
            this.#maybeReply(record, person, {
              from: ctx.at,
              now: ctx.at,
              probability: settings.reply.afterMessage,
              draw: ["message", ordinal],
            }),
        };
      },
    );
  }

  inmail(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    input: { subject: string; body: string },
    ctx: SendContext,
  ) {
    const accountId = account.providerAccountId;
    return this.#send(
      { method: "inmail", account, lead, idempotencyKey: ctx.idempotencyKey, at: ctx.at, input },
      "inmail",
      async (person, state) => {
        if (person.unreachable) return { status: "not_sent", reason: "not_reachable" };
        if (person.refusesInmail) return { status: "not_sent", reason: "recipient_refuses_inmail" };
        const creditUsed = !person.isOpenProfile;
        if (creditUsed && state.inmailBalance <= 0) {
          return { status: "not_sent", reason: "no_credit" };
        }
        const ordinal = await this.store.countReceived({
          providerAccountId: accountId,
          leadPublicIdentifier: person.publicIdentifier,
          kind: "inmail",
        });
        const settings = accountSettings(this.settings, accountId);
        const reference = sandboxId("sbx_inmail_", accountId, ctx.idempotencyKey);
        return {
          status: "deliver",
          record: {
            providerId: person.providerId,
            idempotencyKey: ctx.idempotencyKey,
            reference,
            // Every InMail opens its own conversation; a reply there is a reply to the InMail.
            chatId: sandboxId("sbx_chat_", accountId, "inmail", reference),
            subject: input.subject,
            text: input.body,
            creditUsed,
          },
          after: async (record) => {
            if (creditUsed) {
              const current = await this.#accountState(accountId);
              await this.store.putAccountState({
                ...current,
                inmailBalance: Math.max(0, current.inmailBalance - 1),
              });
            }
            await this.#maybeReply(record, person, {
              from: ctx.at,
              now: ctx.at,
              probability: settings.reply.afterInmail,
              draw: ["inmail", ordinal],
            });
          },
        };
      },
    );
  }

  /** Likes the person's latest post of the last `withinDays`; none: "no_recent_post". */
  likePost(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    input: ActionRequest<"like_post">,
    ctx: SendContext,
  ) {
    return this.#send(
      {
        method: "like_post",
        account,
        lead,
        idempotencyKey: ctx.idempotencyKey,
        at: ctx.at,
        input,
      },
      "like_post",
      async (person) => {
        if (person.unreachable) return { status: "not_sent", reason: "not_reachable" };
        const post = this.latestPost(person.publicIdentifier, ctx.at);
        if (post === null || ctx.at.getTime() - post.at.getTime() > input.withinDays * DAY_MS) {
          return { status: "not_sent", reason: "no_recent_post" };
        }
        return {
          status: "deliver",
          record: {
            providerId: person.providerId,
            idempotencyKey: ctx.idempotencyKey,
            reference: post.id,
            chatId: null,
          },
        };
      },
    );
  }

  async reconcile(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    input: { kind: ActionKind; idempotencyKey: string; since: Date },
  ): Promise<ReconcileResult> {
    const accountId = account.providerAccountId;
    const state = await this.#accountState(accountId);
    // A restricted seat answers nothing; the engine keeps the action unresolved.
    if (state.restricted) return { status: "unknown" };
    const scripted = this.#script?.({ method: "reconcile", account, lead, ...input });
    if (scripted != null) {
      if (scripted === "timeout-after-send") return { status: "unknown" };
      if (scripted.status === "sent") {
        return { status: "sent", reference: scripted.reference, chatId: scripted.chatId };
      }
      if (scripted.status === "not_sent") return { status: "not_sent" };
      if (scripted.status === "restricted") await this.#restrict(state, input.since, "scripted");
      return { status: "unknown" };
    }
    const record = await this.store.findReceivedByKey(input.idempotencyKey);
    if (!record || record.kind !== input.kind || record.providerAccountId !== accountId) {
      return { status: "not_sent" };
    }
    return { status: "sent", reference: record.reference, chatId: record.chatId };
  }

  async inmailBalance(account: ProviderAccountRef): Promise<number | null> {
    const state = await this.#accountState(account.providerAccountId);
    if (state.restricted) return null;
    const scripted = this.#script?.({ method: "inmailBalance", account });
    if (scripted != null) {
      if (scripted !== "timeout-after-send" && scripted.status === "restricted") {
        await this.#restrict(state, null, "scripted");
      }
      return null;
    }
    return state.inmailBalance;
  }

  // ── Beyond the port: for the app, tests and simulations ──────────────────────────────────

  /** Newly scheduled acceptances and replies that have happened by `now`, each handed out once. */
  async dueEvents(now: Date): Promise<InboundEvent[]> {
    const due = await this.store.takeDueEvents(now);
    const kept: SandboxEvent[] = [];
    for (const event of due) {
      if (event.type === "accepted") {
        const withdrawn = await this.#withdrawalsOf(
          event.providerAccountId,
          event.leadPublicIdentifier,
        );
        if (cancelledBy(event, withdrawn)) continue;
      }
      kept.push(event);
    }
    return kept.map(toInboundEvent);
  }

  /** Every scheduled event, delivered or not, in time order. */
  scheduledEvents(filter?: EventFilter): Promise<SandboxEvent[]> {
    return this.store.listEvents(filter);
  }

  /** What LinkedIn received, in order. */
  received(filter?: ReceivedFilter): Promise<SandboxReceived[]> {
    return this.store.listReceived(filter);
  }

  async isRestricted(providerAccountId: string): Promise<boolean> {
    return (await this.#accountState(providerAccountId)).restricted;
  }

  async setInmailBalance(providerAccountId: string, balance: number): Promise<void> {
    if (!(Number.isSafeInteger(balance) && balance >= 0)) {
      throw new RangeError(`an InMail balance is an integer >= 0, got ${balance}`);
    }
    const state = await this.#accountState(providerAccountId);
    await this.store.putAccountState({ ...state, inmailBalance: balance });
  }

  person(publicIdentifier: string): SandboxPerson {
    return personFor(this.seed, publicIdentifier, this.settings);
  }

  /** True when the person is a 1st-degree connection of the account at `at`. */
  async isConnected(providerAccountId: string, publicIdentifier: string, at: Date) {
    if (baseNetworkDistance(this.seed, providerAccountId, publicIdentifier, this.settings) === 1) {
      return true;
    }
    const acceptances = await this.store.listEvents({
      providerAccountId,
      leadPublicIdentifier: publicIdentifier,
      type: "accepted",
    });
    const withdrawn = await this.#withdrawalsOf(providerAccountId, publicIdentifier);
    return acceptances.some(
      (event) => event.occurredAt.getTime() <= at.getTime() && !cancelledBy(event, withdrawn),
    );
  }

  /**
   * Withdraws a pending invitation, by the reference its sending returned. The acceptance the
   * world had planned for it never comes, and the person cannot be invited again from this seat
   * for three weeks. `not_sent` when the invitation is not pending (accepted, already withdrawn,
   * or unknown).
   */
  async withdrawInvitation(
    account: ProviderAccountRef,
    invitationId: string,
    ctx: SendContext,
  ): Promise<ProviderOutcome> {
    const accountId = account.providerAccountId;
    const state = await this.#accountState(accountId);
    if (state.restricted)
      return { status: "restricted", detail: state.restrictedReason ?? undefined };
    const invitation = (
      await this.store.listReceived({ providerAccountId: accountId, kind: "connect" })
    ).find((record) => record.reference === invitationId);
    if (!invitation || invitation.at.getTime() > ctx.at.getTime()) {
      return { status: "not_sent", reason: "not_connected", detail: "no such invitation" };
    }
    const withdrawals = state.withdrawals ?? [];
    if (withdrawals.some((w) => w.invitationKey === invitation.idempotencyKey)) {
      return { status: "not_sent", reason: "not_connected", detail: "already withdrawn" };
    }
    if (await this.isConnected(accountId, invitation.leadPublicIdentifier, ctx.at)) {
      return { status: "not_sent", reason: "already_connected" };
    }
    const keepFrom = ctx.at.getTime() - (REINVITE_BLOCK_DAYS + 1) * DAY_MS;
    await this.store.putAccountState({
      ...state,
      withdrawals: [
        ...withdrawals.filter((w) => w.at.getTime() >= keepFrom),
        {
          at: new Date(ctx.at.getTime()),
          leadPublicIdentifier: invitation.leadPublicIdentifier,
          invitationKey: invitation.idempotencyKey,
        },
      ],
    });
    return { status: "sent", reference: invitationId };
  }

  /** The seat's withdrawals, all people or one, oldest first. */
  async withdrawals(providerAccountId: string): Promise<SandboxWithdrawal[]> {
    return (await this.#accountState(providerAccountId)).withdrawals ?? [];
  }

  async #withdrawalsOf(providerAccountId: string, publicIdentifier: string) {
    return (await this.withdrawals(providerAccountId)).filter(
      (w) => w.leadPublicIdentifier === publicIdentifier,
    );
  }

  /** The profile as the account sees it at `at` (without recording a visit). */
  async profile(
    providerAccountId: string,
    publicIdentifier: string,
    at: Date,
  ): Promise<ProfileSnapshot> {
    const person = this.person(publicIdentifier);
    const connected = await this.isConnected(providerAccountId, publicIdentifier, at);
    return {
      providerId: person.providerId,
      networkDistance: connected
        ? 1
        : baseNetworkDistance(this.seed, providerAccountId, publicIdentifier, this.settings),
      isPremium: person.isPremium,
      isOpenProfile: person.isOpenProfile,
      canSendInmail: !person.refusesInmail && !person.unreachable,
    };
  }

  /**
   * The person's latest post at `at`, or null for one who never posts. People post on a
   * cadence drawn from the seed (every 1 to 240 days, from a first post a year before the
   * epoch), so whether someone has posted lately depends only on the seed and the date.
   */
  latestPost(publicIdentifier: string, at: Date): { id: string; at: Date } | null {
    const seed = seedFor(this.seed, "posts", publicIdentifier);
    if (!bernoulli(seedFor(seed, "posts-at-all"), POSTING_SHARE)) return null;
    const everyMs = drawLogUniform(seedFor(seed, "cadence"), DAY_MS, 240 * DAY_MS);
    const firstAt = -365 * DAY_MS + drawLogUniform(seedFor(seed, "first"), 1, everyMs);
    if (at.getTime() < firstAt) return null;
    const count = Math.floor((at.getTime() - firstAt) / everyMs);
    const postedAt = new Date(Math.round(firstAt + count * everyMs));
    return { id: sandboxId("sbx_post_", publicIdentifier, String(count)), at: postedAt };
  }

  /** The one conversation between an account and a connection. */
  connectionChatId(providerAccountId: string, publicIdentifier: string): string {
    return sandboxId("sbx_chat_", providerAccountId, publicIdentifier);
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────

  async #send(
    call: SendCall,
    kind: ActionKind,
    decide: (person: SandboxPerson, state: SandboxAccountState) => Promise<Delivery>,
  ): Promise<ProviderOutcome> {
    const { account, lead, at } = call;
    if (!Number.isFinite(at.getTime())) throw new RangeError("ctx.at must be a valid date");
    const accountId = account.providerAccountId;
    const state = await this.#accountState(accountId);
    if (state.restricted) return restrictedOutcome(state);

    const scripted = this.#script?.(call) ?? null;
    if (scripted !== null && scripted !== "timeout-after-send") {
      if (scripted.status === "restricted") await this.#restrict(state, at, "scripted");
      return scripted;
    }
    const answer = (outcome: ProviderOutcome): ProviderOutcome =>
      scripted === "timeout-after-send"
        ? { status: "unknown", detail: "sandbox: timed out after the send went through" }
        : outcome;

    const repeated = await this.store.findReceivedByKey(call.idempotencyKey);
    if (repeated) return answer(outcomeOf(repeated));

    const person = this.person(lead.publicIdentifier);
    const delivery = await decide(person, state);
    if (delivery.status === "not_sent" || delivery.status === "wait") return answer(delivery);

    const overLimit = await this.#safetyBreach(accountId, kind, at);
    if (overLimit !== null) {
      const restricted = await this.#restrict(state, at, overLimit);
      return restrictedOutcome(restricted);
    }

    const record: SandboxReceived = {
      ...delivery.record,
      at: new Date(at.getTime()),
      providerAccountId: accountId,
      leadPublicIdentifier: person.publicIdentifier,
      kind,
    };
    if (!(await this.store.appendReceived(record))) {
      // A concurrent call with the same key won the race: answer with its result.
      const earlier = await this.store.findReceivedByKey(call.idempotencyKey);
      return answer(earlier ? outcomeOf(earlier) : { status: "unknown" });
    }
    await delivery.after?.(record);
    return answer(outcomeOf(record));
  }

  /** The reason the account gets restricted if it delivers one more `kind` at `at`, or null. */
  async #safetyBreach(accountId: string, kind: ActionKind, at: Date): Promise<string | null> {
    const { safety } = accountSettings(this.settings, accountId);
    const dayStart = new Date(Math.floor(at.getTime() / DAY_MS) * DAY_MS);
    const day = { since: dayStart, until: new Date(dayStart.getTime() + DAY_MS) };
    const date = dayStart.toISOString().slice(0, 10);
    const actions = await this.store.countReceived({ providerAccountId: accountId, ...day });
    if (actions >= safety.actionsPerDay) {
      return `more than ${safety.actionsPerDay} actions on ${date} (UTC)`;
    }
    if (kind !== "connect") return null;
    const invitesToday = await this.store.countReceived({
      providerAccountId: accountId,
      kind,
      ...day,
    });
    if (invitesToday >= safety.invitationsPerDay) {
      return `more than ${safety.invitationsPerDay} invitations on ${date} (UTC)`;
    }
    const invitesThisWeek = await this.store.countReceived({
      providerAccountId: accountId,
      kind,
      // The 7 × 24 hours ending now: (at − 7 days, at].
      since: new Date(at.getTime() - 7 * DAY_MS + 1),
      until: new Date(at.getTime() + 1),
    });
    if (invitesThisWeek >= safety.invitationsPer7Days) {
      return `more than ${safety.invitationsPer7Days} invitations in 7 days`;
    }
    return null;
  }

  /** `at` is null when the call that restricted the seat carried no time (a balance query). */
  async #restrict(state: SandboxAccountState, at: Date | null, reason: string) {
    const restricted: SandboxAccountState = {
      ...state,
      restricted: true,
      restrictedAt: at === null ? null : new Date(at.getTime()),
      restrictedReason: reason,
    };
    await this.store.putAccountState(restricted);
    return restricted;
  }

  async #accountState(providerAccountId: string): Promise<SandboxAccountState> {
    return (
      (await this.store.getAccountState(providerAccountId)) ?? {
        providerAccountId,
        inmailBalance: accountSettings(this.settings, providerAccountId).inmailBalance,
        restricted: false,
        restrictedAt: null,
        restrictedReason: null,
      }
    );
  }

  #draw(what: string, record: SandboxReceived, ...key: readonly SeedPart[]): string {
    return seedFor(this.seed, what, record.providerAccountId, record.leadPublicIdentifier, ...key);
  }

  async #scheduleAcceptance(
    invitation: SandboxReceived,
    person: SandboxPerson,
    ordinal: number,
    sentAt: Date,
  ): Promise<void> {
    const settings = accountSettings(this.settings, invitation.providerAccountId);
    const { acceptance } = settings;
    if (!bernoulli(this.#draw("accept", invitation, ordinal), acceptance.probability)) return;
    const delayMs = drawLogUniform(
      this.#draw("accept-delay", invitation, ordinal),
      acceptance.minDelayHours * HOUR_MS,
      acceptance.maxDelayHours * HOUR_MS,
    );
    const acceptedAt = new Date(sentAt.getTime() + Math.round(delayMs));
    await this.store.scheduleEvent({
      externalId: sandboxId("sbx_evt_", "accepted", invitation.reference),
      type: "accepted",
      providerAccountId: invitation.providerAccountId,
      leadPublicIdentifier: person.publicIdentifier,
      leadProviderId: person.providerId,
      chatId: null,
      occurredAt: acceptedAt,
      causeKey: invitation.idempotencyKey,
      deliveredAt: null,
    });
    if (invitation.note == null || invitation.note.trim() === "") return;
    // The lead answers the note in the conversation that opens with the connection.
    await this.#maybeReply(
      {
        ...invitation,
        chatId: this.connectionChatId(invitation.providerAccountId, person.publicIdentifier),
      },
      person,
      {
        from: acceptedAt,
        now: sentAt,
        probability: settings.reply.afterNote,
        draw: ["note", ordinal],
      },
    );
  }

  /**
   * At most one reply per message, InMail or accepted note; none while a reply in the same chat
   * is still to come (one reply per burst of messages).
   */
  async #maybeReply(
    cause: SandboxReceived,
    person: SandboxPerson,
    options: { from: Date; now: Date; probability: number; draw: readonly SeedPart[] },
  ): Promise<void> {
    const chatId = cause.chatId;
    if (chatId === null) return;
    if (!bernoulli(this.#draw("reply", cause, ...options.draw), options.probability)) return;
    const pending = await this.store.listEvents({
      providerAccountId: cause.providerAccountId,
      leadPublicIdentifier: person.publicIdentifier,
      chatId,
      type: "replied",
    });
    if (pending.some((event) => event.occurredAt.getTime() > options.now.getTime())) return;
    const { reply } = accountSettings(this.settings, cause.providerAccountId);
    const delayMs = drawLogUniform(
      this.#draw("reply-delay", cause, ...options.draw),
      reply.minDelayHours * HOUR_MS,
      reply.maxDelayHours * HOUR_MS,
    );
    const occurredAt = new Date(options.from.getTime() + Math.round(delayMs));
    // A person writes in one language, whoever they answer; what they say is drawn per reply.
    const language = drawReplyLanguage(
      seedFor(this.seed, "person", person.publicIdentifier),
      this.settings.defaults.reply.mix,
    );
    await this.store.scheduleEvent({
      externalId: sandboxId("sbx_evt_", "replied", cause.reference),
      type: "replied",
      providerAccountId: cause.providerAccountId,
      leadPublicIdentifier: person.publicIdentifier,
      leadProviderId: person.providerId,
      chatId,
      occurredAt,
      causeKey: cause.idempotencyKey,
      deliveredAt: null,
      reply: generateReply(this.#draw("reply-text", cause, ...options.draw), reply.mix, {
        at: occurredAt,
        language,
      }),
    });
  }
}

function outcomeOf(record: SandboxReceived): ProviderOutcome {
  return {
    status: "sent",
    reference: record.reference,
    chatId: record.chatId,
    ...(record.creditUsed === undefined ? {} : { creditUsed: record.creditUsed }),
    ...(record.profile === undefined ? {} : { profile: record.profile }),
  };
}

function restrictedOutcome(state: SandboxAccountState): ProviderOutcome {
  return {
    status: "restricted",
    detail: `sandbox: account restricted (${state.restrictedReason ?? "unknown reason"})`,
  };
}

function toInboundEvent(event: SandboxEvent): InboundEvent {
  return {
    externalId: event.externalId,
    type: event.type,
    providerAccountId: event.providerAccountId,
    leadProviderId: event.leadProviderId,
    leadPublicIdentifier: event.leadPublicIdentifier,
    chatId: event.chatId,
    occurredAt: new Date(event.occurredAt.getTime()),
    ...(event.reply === undefined ? {} : { text: event.reply.text }),
  };
}

/** An acceptance planned for an invitation that was withdrawn before it came never happens. */
function cancelledBy(event: SandboxEvent, withdrawn: readonly SandboxWithdrawal[]): boolean {
  return withdrawn.some(
    (w) => w.invitationKey === event.causeKey && w.at.getTime() < event.occurredAt.getTime(),
  );
}
