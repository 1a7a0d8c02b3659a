/**
 * The real LinkedIn, through Unipile's official SDK (`unipile-node-sdk`). One adapter talks to
 * one Unipile instance (one workspace's DSN and key); every seat of that workspace goes through
 * it, named by its Unipile account id.
 *
 * Every call has a timeout. Sends are never retried here: a send whose outcome is unknown
 * (timeout, 5xx, dropped connection) is reported as such, and the engine asks `reconcile`
 * (is the invitation pending? is the message in the chat?) before anything is sent again.
 * Reads are retried once when the failure was transient, since reading contacts nobody.
 */
import type { UnipileClient } from "unipile-node-sdk";
import { z } from "zod";
import type {
  ActionKind,
  ActionRequest,
  LinkedinApi,
  ProfileSnapshot,
  Provider,
  ProviderAccountRef,
  ProviderLeadRef,
  ProviderOutcome,
  ReconcileResult,
  SendContext,
} from "../types";
import { performWith } from "../types";
import { isTransientFailure, outcomeOfFailure, UnipileTimeoutError } from "./errors";
import {
  accountChatListAnswer,
  chatListAnswer,
  chatStartedAnswer,
  followAnswerFailure,
  type InmailBalances,
  inmailBalanceAnswer,
  instantOf,
  invitationListAnswer,
  invitationSentAnswer,
  messageListAnswer,
  messageSentAnswer,
  type ProfileAnswer,
  profileAnswer,
  profileSnapshot,
  relationListAnswer,
} from "./responses";

/** Well inside the engine's lease (5 minutes), even for a send that first reads a profile. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * How far before the intent's time a found invitation or message still counts as this send:
 * the engine's clock and Unipile's may disagree by a little.
 */
const RECONCILE_SLACK_MS = 2 * 60_000;

/** A page of a user's posts, as the adapter reads it. */
const postListAnswer = z.looseObject({
  items: z.array(
    z.looseObject({
      id: z.string(),
      social_id: z.string().nullish(),
      parsed_datetime: z.string().nullish(),
      is_repost: z.boolean().nullish(),
    }),
  ),
});
const LIST_PAGE_SIZE = 100;
const MAX_LIST_PAGES = 10;
const MAX_CHATS_CHECKED = 5;

/** The voyager call Unipile's raw route performs to follow a member. */
export function followRequestUrl(providerId: string): string {
  return `https://www.linkedin.com/voyager/api/feed/dash/followingStates/urn:li:fsd_followingState:urn:li:fsd_profile:${providerId}`;
}

/** A connection of the seat as the relations list shows it. */
export interface SeenRelation {
  providerId: string | null;
  publicIdentifier: string | null;
  /** When the connection was made (the invitation accepted), when Unipile says. */
  at: Date | null;
}

export interface UnipileProviderOptions {
  client: UnipileClient;
  /** Longest wait for one Unipile call; the call counts as unknown after it. */
  timeoutMs?: number;
  /** The chat this seat already has with the lead, when Outflow has recorded one. */
  knownChatId?: (account: ProviderAccountRef, lead: ProviderLeadRef) => Promise<string | null>;
  /**
   * Where the lead's member id in another LinkedIn product (Sales Navigator, Recruiter) is kept
   * per seat, so it is looked up once.
   */
  apiIds?: LeadApiIdCache;
}

export interface LeadApiIdCache {
  find(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    api: LinkedinApi,
  ): Promise<string | null>;
  save(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    api: LinkedinApi,
    providerId: string,
  ): Promise<void>;
}

/** A page of a chat's messages, newest first, as the inbox backfill reads them. */
export interface ChatMessagePage {
  items: Array<{
    id: string;
    text: string | null;
    senderProviderId: string | null;
    own: boolean;
    at: Date | null;
  }>;
  cursor: string | null;
}

/** A one-to-one chat of the seat, as the inbox backfill lists them. */
export interface SeatChat {
  id: string;
  /** The other person's member id. */
  attendeeProviderId: string;
  /** Its newest message, when Unipile says. */
  at: Date | null;
}

/** The InMail counter each product's sends draw on. */
export function balanceOfApi(api: LinkedinApi, balances: InmailBalances): number | null {
  switch (api) {
    case "sales_navigator":
      return balances.salesNavigator;
    case "recruiter":
      return balances.recruiter;
    default:
      return balances.premium;
  }
}

/** Runs `run`, giving up with a UnipileTimeoutError after `timeoutMs`. */
export function withTimeout<T>(
  operation: string,
  timeoutMs: number,
  run: () => Promise<T>,
): Promise<T> {
  // The SDK's fetch takes no abort signal, so a late answer is abandoned rather than cut off;
  // whatever it did is what reconciliation finds out.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new UnipileTimeoutError(operation, timeoutMs)),
      timeoutMs,
    );
    run().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** Public identifiers go into a URL path, which the SDK does not encode. */
function pathSegment(value: string): string {
  return encodeURIComponent(value);
}

class UnparsableAnswerError extends Error {
  constructor(operation: string) {
    super(`Unipile's answer to "${operation}" was not understood`);
    this.name = "UnparsableAnswerError";
  }
}

type SendBody = (resolved: {
  providerId: string;
  profile: ProfileSnapshot | null;
}) => Promise<ProviderOutcome>;

/** The raw follow answered 2xx but LinkedIn's own answer inside it is a refusal. */
class LinkedinRefusalError extends Error {
  constructor(readonly body: { status: number; type: string; title: string }) {
    super(body.title);
    this.name = "LinkedinRefusalError";
  }
}

export class UnipileProvider implements Provider {
  readonly name = "unipile" as const;
  readonly #client: UnipileClient;
  readonly #timeoutMs: number;
  readonly #knownChatId: UnipileProviderOptions["knownChatId"];
  readonly #apiIds: LeadApiIdCache | undefined;

  constructor(options: UnipileProviderOptions) {
    this.#client = options.client;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#knownChatId = options.knownChatId;
    this.#apiIds = options.apiIds;
  }

  // ── Sends ──────────────────────────────────────────────────────────────────────────────

  readonly perform = performWith({
    visit: (account, lead, _request, ctx) => this.visit(account, lead, ctx),
    follow: (account, lead, _request, ctx) => this.follow(account, lead, ctx),
    connect: (account, lead, request, ctx) => this.invite(account, lead, request, ctx),
    message: (account, lead, request, ctx) => this.message(account, lead, request, ctx),
    inmail: (account, lead, request, ctx) => this.inmail(account, lead, request, ctx),
    like_post: (account, lead, request, ctx) => this.likePost(account, lead, request, ctx),
  });

  /**
   * Likes the lead's latest own post (not a repost) of the last `withinDays`: the user's posts
   * are listed, the newest is reacted to. None that recent: "no_recent_post", nothing sent.
   */
  async likePost(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    input: ActionRequest<"like_post">,
    ctx: SendContext,
  ) {
    return this.#send(account, lead, "like_post", ctx, async ({ providerId, profile }) => {
      const answer = await this.#read("list posts", () =>
        this.#client.users.getAllPosts({
          account_id: account.providerAccountId,
          identifier: pathSegment(providerId),
          limit: 10,
        }),
      );
      const since = ctx.at.getTime() - input.withinDays * 86_400_000;
      let latest: { postId: string; at: number } | null = null;
      for (const post of this.#parse("list posts", postListAnswer, answer).items) {
        const at = instantOf(post.parsed_datetime ?? null)?.getTime() ?? Number.NaN;
        if (post.is_repost === true || !(at >= since) || (latest && latest.at >= at)) continue;
        latest = { postId: post.social_id ?? post.id, at };
      }
      if (latest === null) return { status: "not_sent", reason: "no_recent_post" } as const;
      const postId = latest.postId;
      await this.#call("like a post", () =>
        this.#client.users.sendPostReaction({
          account_id: account.providerAccountId,
          post_id: postId,
          reaction_type: "like",
        }),
      );
      return { status: "sent", reference: postId, ...(profile ? { profile } : {}) } as const;
    });
  }

  /** A profile read with `notify=true`: the lead may see the visit. */
  async visit(account: ProviderAccountRef, lead: ProviderLeadRef, ctx: SendContext) {
    try {
      const profile = await this.#readProfile(account, lead.publicIdentifier, true);
      return { status: "sent", reference: null, profile: profileSnapshot(profile) } as const;
    } catch (error) {
      return outcomeOfFailure(error, "visit", ctx.at);
    }
  }

  async follow(account: ProviderAccountRef, lead: ProviderLeadRef, ctx: SendContext) {
    return this.#send(account, lead, "follow", ctx, async ({ providerId, profile }) => {
      // No typed call exists: Unipile's raw route performs LinkedIn's own follow request, as
      // the SDK's README shows it (`encoding: false`: the body goes to LinkedIn as JSON).
      const answer = await this.#call("follow", () =>
        this.#client.request.send({
          path: ["linkedin"],
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: {
            account_id: account.providerAccountId,
            method: "POST",
            request_url: followRequestUrl(providerId),
            body: { patch: { $set: { following: true } } },
            encoding: false,
          },
        }),
      );
      // A 2xx from Unipile can still carry LinkedIn's own refusal.
      const refused = followAnswerFailure(answer);
      if (refused) throw new LinkedinRefusalError(refused);
      return { status: "sent", reference: null, ...(profile ? { profile } : {}) };
    });
  }

  async invite(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    input: { note: string | null },
    _ctx: SendContext,
  ) {
    return this.#send(account, lead, "connect", _ctx, async ({ providerId, profile }) => {
      const answer = await this.#call("send invitation", () =>
        this.#client.users.sendInvitation({
          account_id: account.providerAccountId,
          provider_id: providerId,
          ...(input.note ? { message: input.note } : {}),
        }),
      );
      const parsed = invitationSentAnswer.safeParse(answer);
      return {
        status: "sent",
        reference: parsed.success ? (parsed.data.invitation_id ?? null) : null,
        ...(profile ? { profile } : {}),
      };
    });
  }

  /** A message in the chat Outflow knows for this lead, or the first one in a new chat. */
  async message(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    input: { text: string; chatId?: string | null },
    _ctx: SendContext,
  ) {
    return this.#send(account, lead, "message", _ctx, async ({ providerId, profile }) => {
      const chatId = input.chatId ?? (await this.#knownChatId?.(account, lead)) ?? null;
      const extra = profile ? { profile } : {};
      if (chatId) {
        const answer = await this.#call("send message", () =>
          this.#client.messaging.sendMessage({ chat_id: chatId, text: input.text }),
        );
        const parsed = messageSentAnswer.safeParse(answer);
        return {
          status: "sent",
          reference: parsed.success ? (parsed.data.message_id ?? null) : null,
          chatId,
          ...extra,
        };
      }
      const answer = await this.#call("start chat", () =>
        this.#client.messaging.startNewChat({
          account_id: account.providerAccountId,
          attendees_ids: [providerId],
          text: input.text,
        }),
      );
      const parsed = chatStartedAnswer.safeParse(answer);
      return {
        status: "sent",
        reference: parsed.success ? (parsed.data.message_id ?? null) : null,
        chatId: parsed.success ? (parsed.data.chat_id ?? null) : null,
        ...extra,
      };
    });
  }

  /**
   * An InMail: a new chat flagged as InMail, with its subject, through the LinkedIn product of
   * the seat's plan (classic Premium, Sales Navigator or Recruiter), addressed to the lead's
   * member id in that product.
   */
  async inmail(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    input: { subject: string; body: string },
    ctx: SendContext,
  ) {
    const api = account.linkedinApi ?? "classic";
    return this.#send(account, lead, "inmail", ctx, async ({ providerId, profile }) => {
      const recipient =
        api === "classic" ? providerId : await this.#apiProviderId(account, lead, api);
      const answer = await this.#call("send InMail", () =>
        api === "classic"
          ? this.#client.messaging.startNewChat({
              account_id: account.providerAccountId,
              attendees_ids: [recipient],
              text: input.body,
              subject: input.subject,
              // `inmail` only goes on the wire when `api: "classic"` is given with it.
              options: { linkedin: { api: "classic", inmail: true } },
            })
          : this.#client.messaging.startNewChat(
              {
                account_id: account.providerAccountId,
                attendees_ids: [recipient],
                text: input.body,
                subject: input.subject,
                options: { linkedin: { api } },
              },
              // The SDK sends `inmail` only with the classic API; the form takes it for all.
              { extra_params: { "linkedin[inmail]": "true" } },
            ),
      );
      const parsed = chatStartedAnswer.safeParse(answer);
      return {
        status: "sent",
        reference: parsed.success ? (parsed.data.message_id ?? null) : null,
        chatId: parsed.success ? (parsed.data.chat_id ?? null) : null,
        // An Open Profile takes InMail for free; without a fresh read, LinkedIn's count tells.
        ...(profile ? { profile, creditUsed: !profile.isOpenProfile } : {}),
      };
    });
  }

  /** Withdraws a pending invitation (the person cannot be invited again for about 3 weeks). */
  async withdrawInvitation(
    account: ProviderAccountRef,
    invitationId: string,
    ctx: SendContext,
  ): Promise<ProviderOutcome> {
    try {
      await this.#call("withdraw invitation", () =>
        this.#client.users.cancelInvitationSent({
          account_id: account.providerAccountId,
          invitation_id: pathSegment(invitationId),
        }),
      );
      return { status: "sent", reference: invitationId };
    } catch (error) {
      return outcomeOfFailure(error, "connect", ctx.at);
    }
  }

  /** One page of a chat's messages, newest first (the inbox backfill). Throws on failure. */
  async chatMessages(
    _account: ProviderAccountRef,
    chatId: string,
    page: { cursor?: string | null; limit?: number } = {},
  ): Promise<ChatMessagePage> {
    const answer = await this.#read("list chat messages", () =>
      this.#client.messaging.getAllMessagesFromChat({
        chat_id: pathSegment(chatId),
        limit: Math.min(Math.max(page.limit ?? 50, 1), 100),
        ...(page.cursor ? { cursor: page.cursor } : {}),
      }),
    );
    const parsed = this.#parse("list chat messages", messageListAnswer, answer);
    return {
      items: parsed.items.map((m) => ({
        id: m.id,
        text: typeof m.text === "string" ? m.text : null,
        senderProviderId: m.sender_id ?? null,
        own: m.is_sender === 1 || m.is_sender === true,
        at: instantOf(m.timestamp),
      })),
      cursor: parsed.cursor ?? null,
    };
  }

  /**
   * The seat's one-to-one chats with activity since `since` (Unipile's `after`), newest first,
   * at most `max` of them over a bounded number of pages. Throws on failure.
   */
  async chatsSince(
    account: ProviderAccountRef,
    since: Date,
    options: { max?: number; pageSize?: number } = {},
  ): Promise<SeatChat[]> {
    const max = options.max ?? 200;
    const found: SeatChat[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES && found.length < max; page++) {
      const answer = await this.#read("list chats", () =>
        this.#client.messaging.getAllChats({
          account_id: account.providerAccountId,
          after: since.toISOString(),
          limit: Math.min(options.pageSize ?? 50, 250),
          ...(cursor ? { cursor } : {}),
        }),
      );
      const parsed = this.#parse("list chats", accountChatListAnswer, answer);
      for (const chat of parsed.items) {
        // Groups and channels have no single attendee: they are no lead's conversation.
        if (!chat.attendee_provider_id || (chat.type ?? 0) !== 0) continue;
        if (found.length >= max) break;
        found.push({
          id: chat.id,
          attendeeProviderId: chat.attendee_provider_id,
          at: instantOf(chat.timestamp),
        });
      }
      if (!parsed.cursor) break;
      cursor = parsed.cursor;
    }
    return found;
  }

  // ── Reads ──────────────────────────────────────────────────────────────────────────────

  /**
   * Did a send whose outcome was unknown reach LinkedIn? An invitation is looked for among the
   * pending ones (and, if already accepted, among the newest relations); a message or an
   * InMail among the seat's own messages in its chats with the lead since the intent.
   */
  async reconcile(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    input: { kind: ActionKind; idempotencyKey: string; since: Date },
  ): Promise<ReconcileResult> {
    // A profile view or a follow cannot be looked up; doing it again would be a second touch,
    // so one that may have happened counts as done.
    // A like is the same: liking the same post again changes nothing.
    if (input.kind === "visit" || input.kind === "follow" || input.kind === "like_post") {
      return { status: "sent" };
    }
    try {
      const since = new Date(input.since.getTime() - RECONCILE_SLACK_MS);
      const providerId =
        lead.providerId ??
        (await this.#readProfile(account, lead.publicIdentifier, false)).provider_id;
      if (input.kind === "connect") {
        return await this.#findInvitation(account, lead, providerId, since);
      }
      return await this.#findOwnMessage(account, lead, providerId, since);
    } catch {
      // Nothing can be said now; the engine asks again later.
      return { status: "unknown" };
    }
  }

  /** The credits the seat's InMails draw on: the counter of its plan's product. */
  async inmailBalance(account: ProviderAccountRef): Promise<number | null> {
    try {
      return balanceOfApi(account.linkedinApi ?? "classic", await this.inmailBalances(account));
    } catch {
      return null;
    }
  }

  /** Every InMail counter of the seat; throws when Unipile cannot be read. */
  async inmailBalances(account: ProviderAccountRef): Promise<InmailBalances> {
    const answer = await this.#read("read InMail balance", () =>
      this.#client.request.send({
        path: ["linkedin", "inmail_balance"],
        method: "GET",
        parameters: { account_id: account.providerAccountId },
      }),
    );
    const parsed = this.#parse("read InMail balance", inmailBalanceAnswer, answer);
    return {
      premium: parsed.premium ?? null,
      recruiter: parsed.recruiter ?? null,
      salesNavigator: parsed.sales_navigator ?? null,
    };
  }

  /**
   * The seat's relations made since `until`, for the acceptance fallback. No order is assumed:
   * pages are read until the list ends or the page budget is spent; reading stops early only
   * when everything read so far came newest first and a whole page is older than `until`.
   * Each member is kept once.
   */
  async relationsSince(account: ProviderAccountRef, until: Date): Promise<SeenRelation[]> {
    const found = new Map<string, SeenRelation>();
    let cursor: string | undefined;
    let newestFirst = true;
    let previous = Number.POSITIVE_INFINITY;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const answer = await this.#read("list relations", () =>
        this.#client.users.getAllRelations({
          account_id: account.providerAccountId,
          limit: LIST_PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        }),
      );
      const parsed = this.#parse("list relations", relationListAnswer, answer);
      let allOlder = parsed.items.length > 0;
      for (const item of parsed.items) {
        const at = instantOf(item.created_at);
        const time = at?.getTime() ?? Number.NaN;
        if (!(time <= previous)) newestFirst = false;
        previous = Number.isNaN(time) ? previous : time;
        if (!at || time >= until.getTime()) allOlder = false;
        const key = item.member_id ?? item.public_identifier;
        if (!key || found.has(key)) continue;
        found.set(key, {
          providerId: item.member_id ?? null,
          publicIdentifier: item.public_identifier ?? null,
          at,
        });
      }
      if ((allOlder && newestFirst) || !parsed.cursor) break;
      cursor = parsed.cursor;
    }
    return [...found.values()];
  }

  // ── Plumbing ───────────────────────────────────────────────────────────────────────────

  /** Resolves the lead's member id (a silent profile read when Outflow does not know it yet). */
  async #send(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    kind: ActionKind,
    ctx: SendContext,
    body: SendBody,
  ): Promise<ProviderOutcome> {
    let providerId = lead.providerId ?? null;
    let profile: ProfileSnapshot | null = null;
    try {
      if (!providerId) {
        const read = await this.#readProfile(account, lead.publicIdentifier, false);
        profile = profileSnapshot(read);
        providerId = read.provider_id;
        const early = earlyRefusal(kind, read);
        if (early) return early;
      }
    } catch (error) {
      // Nothing was sent yet; the outcome of the read tells what to do with the send.
      return outcomeOfFailure(error, kind, ctx.at);
    }
    try {
      return await body({ providerId, profile });
    } catch (error) {
      return outcomeOfFailure(error, kind, ctx.at);
    }
  }

  /** The lead's member id in `api` (Sales Navigator `ACw…`, Recruiter `AE…`), cached per seat. */
  async #apiProviderId(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    api: Exclude<LinkedinApi, "classic">,
  ): Promise<string> {
    const cached = await this.#apiIds?.find(account, lead, api);
    if (cached) return cached;
    const answer = await this.#read(`read ${api} profile`, () =>
      this.#client.users.getProfile({
        account_id: account.providerAccountId,
        identifier: pathSegment(lead.publicIdentifier),
        linkedin_api: api,
      }),
    );
    const providerId = this.#parse(`read ${api} profile`, profileAnswer, answer).provider_id;
    await this.#apiIds?.save(account, lead, api, providerId);
    return providerId;
  }

  async #readProfile(
    account: ProviderAccountRef,
    publicIdentifier: string,
    notify: boolean,
  ): Promise<ProfileAnswer> {
    const operation = notify ? "visit profile" : "read profile";
    const read = () =>
      this.#client.users.getProfile(
        { account_id: account.providerAccountId, identifier: pathSegment(publicIdentifier) },
        // The typed `notify` field never reaches the wire; extra_params does.
        notify ? { extra_params: { notify: "true" } } : undefined,
      );
    // A visit is a touch the lead may see: it is never repeated on a doubtful answer.
    const answer = notify ? await this.#call(operation, read) : await this.#read(operation, read);
    return this.#parse(operation, profileAnswer, answer);
  }

  async #findInvitation(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    providerId: string,
    since: Date,
  ): Promise<ReconcileResult> {
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const answer = await this.#read("list sent invitations", () =>
        this.#client.users.getAllInvitationsSent({
          account_id: account.providerAccountId,
          limit: LIST_PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        }),
      );
      const parsed = this.#parse("list sent invitations", invitationListAnswer, answer);
      const match = parsed.items.find(
        (item) =>
          item.invited_user_id === providerId ||
          item.invited_user_public_id === lead.publicIdentifier,
      );
      if (match) return { status: "sent", reference: match.id };
      if (!parsed.cursor) break;
      cursor = parsed.cursor;
    }
    // Accepted in the meantime: no longer pending, but a relation made since the intent.
    const relations = await this.relationsSince(account, since);
    const accepted = relations.some(
      (r) =>
        (r.providerId === providerId || r.publicIdentifier === lead.publicIdentifier) &&
        (r.at === null || r.at.getTime() >= since.getTime()),
    );
    return accepted ? { status: "sent" } : { status: "not_sent" };
  }

  async #findOwnMessage(
    account: ProviderAccountRef,
    lead: ProviderLeadRef,
    providerId: string,
    since: Date,
  ): Promise<ReconcileResult> {
    const chats: string[] = [];
    const known = await this.#knownChatId?.(account, lead);
    if (known) chats.push(known);
    const answer = await this.#read("list chats with the lead", () =>
      this.#client.messaging.getAllChatsFromAttendee({
        attendee_id: providerId,
        account_id: account.providerAccountId,
      }),
    );
    for (const chat of this.#parse("list chats with the lead", chatListAnswer, answer).items) {
      if (!chats.includes(chat.id)) chats.push(chat.id);
    }
    for (const chatId of chats.slice(0, MAX_CHATS_CHECKED)) {
      const messages = await this.#read("list chat messages", () =>
        this.#client.messaging.getAllMessagesFromChat({ chat_id: chatId, limit: 50 }),
      );
      const own = this.#parse("list chat messages", messageListAnswer, messages).items.find((m) => {
        const at = instantOf(m.timestamp);
        const mine = m.is_sender === 1 || m.is_sender === true;
        return mine && at !== null && at.getTime() >= since.getTime();
      });
      if (own) return { status: "sent", reference: own.id, chatId };
    }
    return { status: "not_sent" };
  }

  /** One call with the timeout. */
  #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    return withTimeout(operation, this.#timeoutMs, run);
  }

  /** A read: with the timeout, and tried once more when the failure was transient. */
  async #read<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await this.#call(operation, run);
    } catch (error) {
      if (!isTransientFailure(error)) throw error;
      return this.#call(operation, run);
    }
  }

  #parse<S extends z.ZodType>(operation: string, schema: S, answer: unknown): z.infer<S> {
    const parsed = schema.safeParse(answer);
    if (!parsed.success) throw new UnparsableAnswerError(operation);
    return parsed.data;
  }
}

/** What a silent profile read already says about a send, before LinkedIn is asked to do it. */
function earlyRefusal(kind: ActionKind, profile: ProfileAnswer): ProviderOutcome | null {
  const connected = profile.is_relationship === true || profile.network_distance === "FIRST_DEGREE";
  if (kind === "connect") {
    if (connected) return { status: "not_sent", reason: "already_connected" };
    if (profile.invitation?.type === "SENT" && profile.invitation.status === "PENDING") {
      return { status: "not_sent", reason: "already_invited" };
    }
  }
  return null;
}
