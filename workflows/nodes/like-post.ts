import { z } from "zod";
import { defineNode, type SendInput, type SendPlan, type SendRoute } from "./definition";

/** Only a post from this many days back is liked; a lead quiet for longer is passed on. */
export const RECENT_POST_DAYS = 90;

export const likePostConfigSchema = z.object({});
export type LikePostConfig = z.output<typeof likePostConfigSchema>;

/** What the provider is asked: like the lead's latest post of the last `withinDays`. */
export interface LikePostRequest {
  withinDays: number;
}

export const likePostNode = defineNode({
  kind: "like_post",
  label: "Like a recent post",
  description: `Likes the lead's latest post; leads with no post in ${RECENT_POST_DAYS} days leave by “No post”.`,
  icon: {
    name: "thumbs-up",
    shapes: [
      { path: "M7 10v12" },
      {
        path: "M15 5.9 14 10h5.8a2 2 0 0 1 1.9 2.6l-2.3 8A2 2 0 0 1 17.5 22H4a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2h2.8a2 2 0 0 0 1.8-1.1L12 2a3.1 3.1 0 0 1 3 3.9z",
      },
    ],
  },
  colour: "#db2777",
  group: "action",
  inPalette: true,
  exits: [
    { handle: "next", label: "Liked" },
    { handle: "no_post", label: "No post" },
  ],
  configSchema: likePostConfigSchema,
  defaults: (): LikePostConfig => ({}),
  summary: () => `Like the latest post (${RECENT_POST_DAYS} days)`,
  engine: { isCondition: false, isWait: false },
  send: {
    action: "like_post" as const,
    defaultDailyCap: 40,
    capLabel: "Post likes a day",
    plural: "Likes",
    timeline: "Post like",
    chartColour: "#db2777",
    writesText: false,
    doneExit: "next",
    notSentReasons: { no_recent_post: `No post in the last ${RECENT_POST_DAYS} days` },
    prepare: (
      _config: LikePostConfig,
      _input: SendInput,
    ): SendPlan<"like_post", LikePostRequest> | SendRoute => ({
      action: "like_post",
      request: { withinDays: RECENT_POST_DAYS },
      variant: null,
      hasText: false,
      credits: 0,
    }),
    notSent: (_config: LikePostConfig, reason: string): SendRoute =>
      reason === "no_recent_post"
        ? { type: "exit", exit: "no_post", note: `no post in ${RECENT_POST_DAYS} days` }
        : { type: "exit", exit: "next", note: `not done: ${reason}` },
  },
});
