/** Starter campaigns offered when creating a campaign. Each passes validation with no issues. */
import type { Graph } from "../graph/index";
import { connectThenFollowUp } from "./connect-then-follow-up";
import { connectThenInMail } from "./connect-then-inmail";
import { vipInMail } from "./vip-inmail";

export interface StarterTemplate {
  id: string;
  name: string;
  description: string;
  graph: Readonly<Graph>;
}

export const starterTemplates: readonly StarterTemplate[] = [
  {
    id: "connect-then-follow-up",
    name: "Connect, then follow up",
    description:
      "Visit the profile, invite with a short note, and message those who accept within a week.",
    graph: connectThenFollowUp,
  },
  {
    id: "connect-then-inmail",
    name: "Connect first, InMail those who don't accept",
    description:
      "Invitations are free: send one first, and spend an InMail credit only on leads who haven't accepted after 7 days.",
    graph: connectThenInMail,
  },
  {
    id: "vip-inmail",
    name: "VIP InMail",
    description:
      "For a short list of key accounts: visit, send an InMail, and follow up once if there is no reply within 10 days.",
    graph: vipInMail,
  },
];

/** A fresh, editable copy of a starter template's graph; undefined for an unknown id. */
export function copyStarterGraph(id: string): Graph | undefined {
  const template = starterTemplates.find((candidate) => candidate.id === id);
  return template === undefined ? undefined : (structuredClone(template.graph) as Graph);
}
