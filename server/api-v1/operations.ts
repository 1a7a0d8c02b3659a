import "server-only";

import { z } from "zod";
import { findDraft } from "@/db/queries/drafts";
import type { LeadListPosition } from "@/db/queries/leads";
import { recentLedgerOfPool } from "@/db/queries/pools";
import type { WorkspaceRole } from "@/db/queries/workspaces";
import { validateGraph } from "@/workflows/graph/index";
import { listAccounts } from "../accounts/list-accounts";
import { addLeadsInput, addLeadsToCampaign } from "../campaigns/add-leads-to-campaign";
import { campaignIdInput } from "../campaigns/campaign-shared";
import { createCampaignFor, createCampaignInput } from "../campaigns/create-campaign";
import { describeCampaign } from "../campaigns/describe-campaign";
import { pauseCampaign } from "../campaigns/pause-campaign";
import { removeLeadFromCampaign, removeLeadInput } from "../campaigns/remove-lead-from-campaign";
import { resumeCampaign } from "../campaigns/resume-campaign";
import { poolIdInput } from "../credits/delete-pool";
import { listPools } from "../credits/list-pools";
import { campaignDashboard } from "../dashboard/get-campaign-dashboard";
import { listCampaignsWithFigures } from "../dashboard/list-campaigns-with-figures";
import { publishCampaignDraft, publishInput } from "../drafts/publish-campaign-draft";
import { badRequest, notFound } from "../http/errors";
import type { Caller } from "../http/guard";
import { conversationIdInput } from "../inbox/conversation-shared";
import { getConversation } from "../inbox/get-conversation";
import { listConversations, listConversationsInput } from "../inbox/list-conversations";
import { answer, answerInput } from "../inbox/send-answer";
import { describeLead } from "../leads/describe-lead";
import { leadTimeline } from "../leads/get-lead-timeline";
import { importLeads, importLeadsInput } from "../leads/import-leads";
import { listLeads, listLeadsInput } from "../leads/list-leads";
import {
  createWebhookEndpoint,
  createWebhookEndpointInput,
} from "../webhooks/create-webhook-endpoint";
import { deleteWebhookEndpoint } from "../webhooks/delete-webhook-endpoint";
import { listWebhookEndpoints } from "../webhooks/list-webhook-endpoints";
import { replayWebhookDeliveries, replayWebhooksBody } from "../webhooks/replay-webhook-deliveries";
import { webhookEndpointIdInput } from "../webhooks/webhook-endpoint-shared";
import * as out from "./schemas";

// The public API, declared once: the catch-all route dispatches these, the OpenAPI document is
// generated from them, and the contract test walks them. Each handler calls the same server
// operation as the UI's route for it.

type HttpMethod = "get" | "post" | "delete";
type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface ApiOperation {
  id: string;
  method: HttpMethod;
  /** OpenAPI form, relative to /api/v1: `/campaigns/{campaignId}`. */
  path: string;
  summary: string;
  tag: string;
  role?: WorkspaceRole;
  params?: AnyObject;
  query?: AnyObject;
  body?: z.ZodType;
  output: z.ZodType;
  status?: number;
  run: (
    caller: Caller,
    input: { params: never; query: never; body: never },
    request: Request,
  ) => Promise<unknown>;
}

interface Input<P, Q, B> {
  params: P;
  query: Q;
  body: B;
}

/** Declares one operation with its handler typed by its schemas. */
function operation<
  P extends AnyObject | undefined,
  Q extends AnyObject | undefined,
  B extends z.ZodType | undefined,
  O extends z.ZodType,
>(spec: {
  id: string;
  method: HttpMethod;
  path: string;
  summary: string;
  tag: string;
  role?: WorkspaceRole;
  params?: P;
  query?: Q;
  body?: B;
  output: O;
  status?: number;
  run: (
    caller: Caller,
    input: Input<
      P extends z.ZodType ? z.infer<P> : undefined,
      Q extends z.ZodType ? z.infer<Q> : undefined,
      B extends z.ZodType ? z.infer<B> : undefined
    >,
    request: Request,
  ) => Promise<z.input<O>>;
}): ApiOperation {
  return spec as unknown as ApiOperation;
}

const campaignPath = z.object({ campaignId: campaignIdInput.shape.campaignId });
const leadPath = z.object({ leadId: z.string().min(1).max(100) });
const endpointPath = webhookEndpointIdInput;

/**
 * Opaque page cursors: the place in the list where the page ended (a creation time and a public
 * identifier), so a page is read from an index however deep it is. A cursor of the earlier form
 * (a page number) is still taken.
 */
const cursorOf = (position: LeadListPosition) =>
  Buffer.from(JSON.stringify({ at: position.at, after: position.publicIdentifier })).toString(
    "base64url",
  );
const cursorShape = z.union([
  z.object({ at: z.iso.datetime({ precision: 6 }), after: z.string().min(1).max(200) }),
  z.object({ page: z.number().int().min(1).max(100_000) }),
]);
function positionOfCursor(cursor: string | undefined): LeadListPosition | { page: number } | null {
  if (!cursor) return null;
  try {
    const parsed = cursorShape.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString()));
    if (parsed.success) {
      return "page" in parsed.data
        ? { page: parsed.data.page }
        : { at: parsed.data.at, publicIdentifier: parsed.data.after };
    }
  } catch {}
  throw badRequest("This cursor is not one the API gave.", "invalid_cursor");
}

const leadListQuery = z
  .object({
    search: listLeadsInput.shape.search,
    campaignId: listLeadsInput.shape.campaignId,
    status: listLeadsInput.shape.status,
    stepId: listLeadsInput.shape.stepId.meta({
      description: "With `campaignId`: its leads now at this step of its workflow.",
    }),
    field: listLeadsInput.shape.field.meta({
      description: "An imported column (custom field): leads that have it.",
    }),
    value: listLeadsInput.shape.value.meta({
      description: "With `field`: leads whose column contains this (any case).",
    }),
    replyCategory: listLeadsInput.shape.replyCategory.meta({
      description: "Leads whose newest reply has this category.",
    }),
    waiting: listLeadsInput.shape.waiting.meta({
      description:
        "With `campaignId`: its leads in progress that wait for this reason (read from its first 10,000 in progress; `waitingCapped` says when there were more).",
    }),
    cursor: z.string().max(200).optional(),
    limit: listLeadsInput.shape.pageSize,
  })
  .refine((query) => query.campaignId || (!query.stepId && !query.waiting), {
    message: "`stepId` and `waiting` speak of a campaign: send `campaignId` with them.",
    path: ["campaignId"],
  })
  .refine((query) => query.field || !query.value, {
    message: "`value` is a part of an imported column's value: send `field` with it.",
    path: ["field"],
  });

const upsertLeadsBody = importLeadsInput.extend({
  leads: importLeadsInput.shape.leads.max(5000, "Send at most 5,000 leads at a time."),
});

const flag = z.enum(["true", "false"]).optional();
const conversationListQuery = z.object({
  accountId: listConversationsInput.shape.accountId,
  campaignId: listConversationsInput.shape.campaignId,
  category: listConversationsInput.shape.category,
  unread: flag,
  assignedToMe: flag.meta({ description: "Conversations assigned to the key's creator." }),
  includeDone: flag,
  cursor: listConversationsInput.shape.cursor,
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
const conversationPath = conversationIdInput;
const answerBody = answerInput.omit({ conversationId: true }).extend({
  idempotencyKey: answerInput.shape.idempotencyKey.optional().meta({
    description:
      "One per answer, chosen by the client: a retry with the same key never sends twice. Or send it as the Idempotency-Key header.",
  }),
});
const asFlag = (value: "true" | "false" | undefined) =>
  value === undefined ? undefined : value === "true";

const validateBody = z.object({ graph: z.unknown() });
const publishBody = z.object({
  draftHash: publishInput.shape.draftHash.optional().meta({
    description: "Publish only if the draft is still this one; the current one if omitted.",
  }),
  choices: publishInput.shape.choices,
});
const addLeadsBody = addLeadsInput.omit({ campaignId: true });

/** Every /api/v1 operation. */
export const apiOperations: ApiOperation[] = [
  operation({
    id: "listConversations",
    method: "get",
    path: "/conversations",
    summary: "Conversations with replies across every seat, newest first, filtered, by cursor",
    tag: "Conversations",
    query: conversationListQuery,
    output: out.conversationPageSchema,
    run: (caller, { query }) =>
      listConversations(caller, {
        ...query,
        unread: asFlag(query.unread),
        assignedToMe: asFlag(query.assignedToMe),
        includeDone: asFlag(query.includeDone),
      }),
  }),
  operation({
    id: "getConversation",
    method: "get",
    path: "/conversations/{conversationId}",
    summary: "One thread: both sides, the lead, and where the lead stands in its campaigns",
    tag: "Conversations",
    params: conversationPath,
    output: out.conversationThreadSchema,
    run: async (caller, { params }) => json(await getConversation(caller, params)),
  }),
  operation({
    id: "answerConversation",
    method: "post",
    path: "/conversations/{conversationId}/answer",
    summary: "Answer the lead at once from the seat; ends the lead's automated sequence there",
    tag: "Conversations",
    params: conversationPath,
    body: answerBody,
    output: out.answerResultSchema,
    run: (caller, { params, body }, request) => {
      const key = body.idempotencyKey ?? request.headers.get("idempotency-key") ?? undefined;
      const parsed = answerInput.shape.idempotencyKey.safeParse(key);
      if (!parsed.success) {
        throw badRequest(
          "Send an idempotency key (8 to 100 letters, digits, - _ . :) in the body or the Idempotency-Key header.",
          "idempotency_key_required",
        );
      }
      return answer(caller, { ...params, text: body.text, idempotencyKey: parsed.data });
    },
  }),
  operation({
    id: "listLeads",
    method: "get",
    path: "/leads",
    summary: "List leads, filtered, a page at a time",
    tag: "Leads",
    query: leadListQuery,
    output: out.leadPageSchema,
    run: async (caller, { query }) => {
      const position = positionOfCursor(query.cursor);
      const page = position && "page" in position ? position.page : 1;
      const result = await listLeads(
        caller,
        {
          search: query.search,
          campaignId: query.campaignId,
          status: query.status,
          stepId: query.stepId,
          field: query.field,
          value: query.value,
          replyCategory: query.replyCategory,
          waiting: query.waiting,
          page,
          pageSize: query.limit,
        },
        position && "at" in position ? position : undefined,
      );
      return {
        leads: result.leads.map((lead) => ({
          ...lead,
          createdAt: lead.createdAt.toISOString(),
          lastActivityAt: lead.lastActivityAt?.toISOString() ?? null,
        })),
        total: result.total,
        totalCapped: result.totalCapped,
        waitingCapped: result.waitingCapped,
        nextCursor: result.next ? cursorOf(result.next) : null,
      };
    },
  }),
  operation({
    id: "upsertLeads",
    method: "post",
    path: "/leads",
    summary: "Add or update leads by public identifier or profile URL, optionally into a campaign",
    tag: "Leads",
    role: "admin",
    body: upsertLeadsBody,
    output: out.upsertLeadsResultSchema,
    run: (caller, { body }, request) => importLeads(caller, body, { signal: request.signal }),
  }),
  operation({
    id: "getLead",
    method: "get",
    path: "/leads/{leadId}",
    summary: "One lead, its campaigns and its timeline",
    tag: "Leads",
    params: leadPath,
    output: out.leadDetailSchema,
    run: async (caller, { params }) => {
      const [detail, timeline] = await Promise.all([
        describeLead(caller, params),
        leadTimeline(caller, params),
      ]);
      return json({ ...detail, timeline: timeline.items });
    },
  }),
  operation({
    id: "listCampaigns",
    method: "get",
    path: "/campaigns",
    summary: "List campaigns with their figures",
    tag: "Campaigns",
    output: out.campaignListSchema,
    run: async (caller) => json(await listCampaignsWithFigures(caller)),
  }),
  operation({
    id: "createCampaign",
    method: "post",
    path: "/campaigns",
    summary: "Create a campaign from a graph or a starter template (running, or a draft)",
    tag: "Campaigns",
    role: "admin",
    body: createCampaignInput,
    output: out.createdCampaignSchema,
    status: 201,
    run: (caller, { body }) => createCampaignFor(caller, body),
  }),
  operation({
    id: "validateCampaignGraph",
    method: "post",
    path: "/campaigns/validate",
    summary: "Validate a campaign graph without saving it",
    tag: "Campaigns",
    body: validateBody,
    output: out.graphValidationSchema,
    run: async (_caller, { body }) => {
      const result = validateGraph(body.graph);
      return { ok: result.ok, errors: result.errors, warnings: result.warnings };
    },
  }),
  operation({
    id: "getCampaign",
    method: "get",
    path: "/campaigns/{campaignId}",
    summary: "One campaign: status, version, senders, lead counts per step",
    tag: "Campaigns",
    params: campaignPath,
    output: out.campaignDetailSchema,
    run: async (caller, { params }) => json(await describeCampaign(caller, params)),
  }),
  operation({
    id: "getCampaignDashboard",
    method: "get",
    path: "/campaigns/{campaignId}/dashboard",
    summary: "The campaign's dashboard figures",
    tag: "Campaigns",
    params: campaignPath,
    output: out.dashboardSchema,
    run: async (caller, { params }) => json(await campaignDashboard(caller, params)),
  }),
  operation({
    id: "publishCampaign",
    method: "post",
    path: "/campaigns/{campaignId}/publish",
    summary: "Publish the campaign's draft as its new live version",
    tag: "Campaigns",
    role: "admin",
    params: campaignPath,
    body: publishBody,
    output: out.publishResultSchema,
    status: 201,
    run: async (caller, { params, body }) => {
      let draftHash = body.draftHash;
      if (!draftHash) {
        const draft = await findDraft(caller.db, caller.workspace.workspaceId, params.campaignId);
        if (!draft) throw notFound("Campaign");
        draftHash = draft.draftHash;
      }
      return publishCampaignDraft(caller, { ...params, draftHash, choices: body.choices });
    },
  }),
  ...(["launch", "pause", "resume"] as const).map((verb) =>
    operation({
      id: `${verb}Campaign`,
      method: "post",
      path: `/campaigns/{campaignId}/${verb}`,
      summary: {
        launch: "Launch a published draft campaign",
        pause: "Pause a running campaign",
        resume: "Resume a paused campaign",
      }[verb],
      tag: "Campaigns",
      role: "admin",
      params: campaignPath,
      output: out.campaignStatusSchema,
      run: (caller, { params }) =>
        verb === "pause" ? pauseCampaign(caller, params) : resumeCampaign(caller, params),
    }),
  ),
  operation({
    id: "addCampaignLeads",
    method: "post",
    path: "/campaigns/{campaignId}/leads",
    summary: "Add leads to a campaign",
    tag: "Campaigns",
    role: "admin",
    params: campaignPath,
    body: addLeadsBody,
    output: out.addLeadsResultSchema,
    run: (caller, { params, body }) => addLeadsToCampaign(caller, { ...body, ...params }),
  }),
  operation({
    id: "removeCampaignLead",
    method: "delete",
    path: "/campaigns/{campaignId}/leads/{leadId}",
    summary: "Remove a lead from a campaign",
    tag: "Campaigns",
    role: "admin",
    params: removeLeadInput,
    output: out.removedLeadSchema,
    run: (caller, { params }) => removeLeadFromCampaign(caller, params),
  }),
  operation({
    id: "getKey",
    method: "get",
    path: "/key",
    summary:
      "The key making the request: its name, scope, role and workspace (a way to check a key)",
    tag: "Keys",
    output: out.keySchema,
    run: async (caller) => ({
      name: caller.apiKey?.name ?? "",
      scope: caller.apiKey?.scope ?? "read",
      role: caller.workspace.role,
      workspace: { name: caller.workspace.workspaceName, slug: caller.workspace.workspaceSlug },
    }),
  }),
  operation({
    id: "listSeats",
    method: "get",
    path: "/seats",
    summary: "Sender accounts with their status and today's usage",
    tag: "Seats",
    output: out.seatListSchema,
    run: async (caller) => json({ seats: (await listAccounts(caller)).accounts }),
  }),
  operation({
    id: "listCreditPools",
    method: "get",
    path: "/credit-pools",
    summary: "InMail credit pools with their balances",
    tag: "Credits",
    output: out.poolListSchema,
    run: async (caller) => json({ pools: await listPools(caller) }),
  }),
  operation({
    id: "listCreditLedger",
    method: "get",
    path: "/credit-pools/{poolId}/ledger",
    summary: "A pool's ledger, newest first",
    tag: "Credits",
    params: poolIdInput,
    query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
    output: out.ledgerSchema,
    run: async (caller, { params, query }) => {
      const pools = await listPools(caller);
      if (!pools.some((pool) => pool.id === params.poolId)) throw notFound("Credit pool");
      const entries = await recentLedgerOfPool(
        caller.db,
        caller.workspace.workspaceId,
        params.poolId,
        query.limit,
      );
      return json({ entries });
    },
  }),
  operation({
    id: "listWebhookEndpoints",
    method: "get",
    path: "/webhooks",
    summary: "Webhook endpoints",
    tag: "Webhooks",
    output: z.object({ endpoints: z.array(out.webhookEndpointSchema) }),
    run: async (caller) => json(await listWebhookEndpoints(caller)),
  }),
  operation({
    id: "createWebhookEndpoint",
    method: "post",
    path: "/webhooks",
    summary: "Register a webhook endpoint; its signing secret is returned once",
    tag: "Webhooks",
    role: "admin",
    body: createWebhookEndpointInput,
    output: out.webhookEndpointSchema.extend({ secret: z.string() }),
    status: 201,
    run: async (caller, { body }) => json(await createWebhookEndpoint(caller, body)),
  }),
  operation({
    id: "deleteWebhookEndpoint",
    method: "delete",
    path: "/webhooks/{endpointId}",
    summary: "Delete a webhook endpoint",
    tag: "Webhooks",
    role: "admin",
    params: endpointPath,
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
    run: (caller, { params }) => deleteWebhookEndpoint(caller, params),
  }),
  operation({
    id: "replayWebhookDeliveries",
    method: "post",
    path: "/webhooks/{endpointId}/replay",
    summary: "Send one delivery, or every delivery of a time range, again",
    tag: "Webhooks",
    role: "admin",
    params: endpointPath,
    body: replayWebhooksBody,
    output: z.object({ replayed: z.number().int() }),
    run: (caller, { params, body }) => replayWebhookDeliveries(caller, { ...body, ...params }),
  }),
];

/** Dates and other values as they travel in JSON, so answers match their schemas. */
function json(value: unknown): never {
  return JSON.parse(JSON.stringify(value)) as never;
}

/** `/campaigns/{campaignId}` → a matcher of `/campaigns/abc`. */
export function matchOperation(
  method: string,
  segments: string[],
): { operation: ApiOperation; params: Record<string, string> } | { allowed: string[] } | null {
  const allowed: string[] = [];
  for (const candidate of apiOperations) {
    const parts = candidate.path.split("/").filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = parts.every((part, index) => {
      const segment = segments[index] ?? "";
      if (part.startsWith("{")) {
        params[part.slice(1, -1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (!matches) continue;
    if (candidate.method === method.toLowerCase()) return { operation: candidate, params };
    allowed.push(candidate.method.toUpperCase());
  }
  return allowed.length > 0 ? { allowed } : null;
}
