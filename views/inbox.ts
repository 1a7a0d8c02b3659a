// The inbox: conversations, a thread, an answer's outcome, and a campaign's replies by category.

import type { ReplyCategory } from "@/workflows/replies/index";
import type { LeadDetail } from "./leads";

export interface ConversationSummary {
  id: string;
  lead: { id: string; name: string; company: string };
  account: { id: string; name: string };
  lastMessageAt: string;
  preview: string;
  unread: boolean;
  category: ReplyCategory | null;
  assignee: { id: string; name: string } | null;
  done: boolean;
}

export interface ConversationMessage {
  id: string;
  direction: "in" | "out";
  origin: "lead" | "automated" | "person" | "linkedin";
  kind: string;
  subject: string | null;
  text: string;
  at: string;
  sender: string | null;
  status: string;
  error: string | null;
  /** The category in force: a person's correction, else the classifier's. */
  category: ReplyCategory | null;
  classifiedAs: ReplyCategory | null;
  corrected: boolean;
  language: string | null;
  returnDate: string | null;
  referral: string | null;
  campaign: string | null;
}

/** The thread: both sides of the conversation, oldest first, the lead's card and campaigns. */
export interface ConversationThread {
  conversation: ConversationSummary;
  messages: ConversationMessage[];
  lead: LeadDetail["lead"];
  blocklisted: LeadDetail["blocklisted"];
  /** The campaigns the lead is in on this seat. */
  enrollments: LeadDetail["enrollments"];
}

export interface AnswerResult {
  id: string;
  status: "intent" | "sent" | "failed";
  error: string | null;
  at: string;
  /** False when the key had already been used: nothing was sent again. */
  created: boolean;
}

/** A campaign's replies by category, beside its reply rate. */
export interface CampaignReplies {
  /** Leads the campaign wrote to (a note, a message or an InMail sent). */
  contacted: number;
  /** Leads who replied, each once. */
  replied: number;
  /** Repliers by the category of their newest reply. */
  byCategory: Record<ReplyCategory, number>;
  replyRate: number | null;
  interestedRate: number | null;
}
