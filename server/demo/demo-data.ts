import "server-only";

import type { LeadInput } from "@/db/queries/launch";
import type { Graph } from "@/workflows/graph/index";
import { copyStarterGraph } from "@/workflows/templates/index";

// The one-click demo: a sandbox sender working real hours, 200 sandbox leads and a running
// campaign from the "Connect first, InMail those who don't accept" template with a follow-up
// InMail, so a new workspace has something the in-process engine moves through, two InMail
// branches whose budgets compare, and the working-hours story to watch.

/** Monday to Friday, 09:00 to 18:00 in the visitor's time zone, as a real seat works. */
export const DEMO_WORKING_HOURS = {
  days: [1, 2, 3, 4, 5],
  start: "09:00",
  end: "18:00",
};

export const DEMO_TEMPLATE_ID = "connect-then-inmail";

export const DEMO_LEAD_COUNT = 200;

export const DEMO_ACCOUNT_NAME = "Demo sender";

const FIRST_NAMES = [
  "Ada",
  "Grace",
  "Alan",
  "Katherine",
  "Edsger",
  "Barbara",
  "Claude",
  "Hedy",
  "John",
  "Margaret",
  "Tim",
  "Radia",
  "Donald",
  "Frances",
  "Dennis",
  "Karen",
  "Ken",
  "Annie",
  "Niklaus",
  "Shafi",
  "Leslie",
  "Sophie",
  "Linus",
  "Joan",
  "Guido",
  "Adele",
  "Bjarne",
  "Evelyn",
  "Vint",
  "Jean",
];

const LAST_NAMES = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Johnson",
  "Dijkstra",
  "Liskov",
  "Shannon",
  "Lamarr",
  "Backus",
  "Hamilton",
  "Berners-Lee",
  "Perlman",
  "Knuth",
  "Allen",
  "Ritchie",
  "Spärck Jones",
  "Thompson",
  "Easley",
  "Wirth",
  "Goldwasser",
  "Lamport",
  "Wilson",
  "Torvalds",
  "Clarke",
  "van Rossum",
  "Goldberg",
  "Stroustrup",
  "Berezin",
  "Cerf",
  "Bartik",
];

const COMPANIES = [
  "Northwind Analytics",
  "Bluefin Logistics",
  "Copperleaf Health",
  "Fernway Software",
  "Harbor & Pine",
  "Kestrel Robotics",
  "Lumen Grid",
  "Meridian Freight",
  "Oakridge Capital",
  "Pellucid Labs",
  "Quarry Street Media",
  "Redwood Payroll",
  "Saltmarsh Energy",
  "Tidewater Insurance",
  "Umbra Security",
  "Vantage Retail",
  "Wavecrest Telecom",
  "Yarrow Foods",
  "Zephyr Mobility",
  "Atlas Biotech",
];

const TITLES = [
  "Head of Sales",
  "VP of Marketing",
  "Founder & CEO",
  "Chief Revenue Officer",
  "Sales Director",
  "Head of Growth",
  "Business Development Manager",
  "Marketing Manager",
  "Account Executive",
  "Head of Partnerships",
  "Operations Director",
  "CTO",
];

function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/**
 * The demo's leads: the same 200 people every time. Last names shift by 7 each round of first
 * names, so no name repeats; the number keeps identifiers unique whatever the lists become.
 */
export function demoLeads(count = DEMO_LEAD_COUNT): LeadInput[] {
  return Array.from({ length: count }, (_, index) => {
    const round = Math.floor(index / FIRST_NAMES.length);
    const firstName = FIRST_NAMES[index % FIRST_NAMES.length]!;
    const lastName = LAST_NAMES[(index + round * 7) % LAST_NAMES.length]!;
    const number = String(index + 1).padStart(4, "0");
    return {
      publicIdentifier: `demo-${slug(firstName)}-${slug(lastName)}-${number}`,
      firstName,
      lastName,
      company: COMPANIES[(index * 3 + round) % COMPANIES.length]!,
      title: TITLES[(index * 5 + round) % TITLES.length]!,
    };
  });
}

/**
 * The template with a second InMail: leads who do not answer the first get a follow-up 10 days
 * later, so the budget panel shows two InMail branches side by side.
 */
export function demoGraph(): Graph {
  const graph = copyStarterGraph(DEMO_TEMPLATE_ID);
  if (!graph) throw new Error(`The ${DEMO_TEMPLATE_ID} template is missing.`);
  const first = graph.nodes.find((node) => node.kind === "inmail");
  const noReply = graph.edges.find(
    (edge) => edge.source === "replied-to-inmail" && edge.sourceHandle === "no",
  );
  const notSent = graph.edges.find(
    (edge) => edge.source === first?.id && edge.sourceHandle === "not_sent",
  );
  if (!first || !noReply || !notSent) return graph;
  const config = structuredClone(first.config) as { variants: Array<Record<string, unknown>> };
  config.variants = [
    {
      id: "a",
      weight: 1,
      subject: "Following up, {{firstName|there}}",
      body: "Hi {{firstName|there}}, one last note from me: if better meetings from LinkedIn matter to {{company|your team}} this quarter, I'd be glad to show how. If not, no worries.",
    },
  ];
  graph.nodes.push(
    { ...first, id: "follow-up", config, position: { x: 500, y: 1000 } } as Graph["nodes"][number],
    {
      id: "replied-to-follow-up",
      kind: "if_replied",
      config: { withinDays: 10 },
      position: { x: 500, y: 1200 },
    } as Graph["nodes"][number],
  );
  const endNoAnswer = noReply.target;
  noReply.target = "follow-up";
  graph.edges.push(
    {
      id: "follow-up-sent",
      source: "follow-up",
      sourceHandle: "sent",
      target: "replied-to-follow-up",
    },
    {
      id: "follow-up-not_sent",
      source: "follow-up",
      sourceHandle: "not_sent",
      target: notSent.target,
    },
    {
      id: "replied-to-follow-up-yes",
      source: "replied-to-follow-up",
      sourceHandle: "yes",
      target: "end-replied",
    },
    {
      id: "replied-to-follow-up-no",
      source: "replied-to-follow-up",
      sourceHandle: "no",
      target: endNoAnswer,
    },
  );
  for (const node of graph.nodes) {
    if (node.id === notSent.target) node.position = { x: 750, y: 800 };
    if (node.id === "end-replied" || node.id === endNoAnswer) {
      node.position = { ...node.position, y: 1400 };
    }
  }
  return graph;
}
