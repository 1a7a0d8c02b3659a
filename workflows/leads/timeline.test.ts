import { describe, expect, it } from "vitest";
import { connectThenInMail } from "../templates/connect-then-inmail";
import { buildLeadTimeline, type TimelineEnrollment } from "./timeline";

const at = (minute: number) => new Date(Date.UTC(2026, 2, 2, 9, minute));

const enrollment: TimelineEnrollment = {
  id: "e1",
  campaignId: "c1",
  campaignName: "Connect first",
  accountName: "Ada's seat",
  version: 2,
  graph: connectThenInMail,
  enrolledAt: at(0),
};

const nodeOf = (kind: string) => connectThenInMail.nodes.find((node) => node.kind === kind)!;

describe("buildLeadTimeline", () => {
  const condition = nodeOf("if_accepted");
  const inmail = nodeOf("inmail");
  const branch = `${condition.id}:no`;
  const items = buildLeadTimeline({
    enrollments: [enrollment],
    steps: [
      {
        id: 1,
        enrollmentId: "e1",
        at: at(5),
        nodeId: condition.id,
        exit: "no",
        toNodeId: inmail.id,
        branch,
        note: null,
      },
      {
        id: 2,
        enrollmentId: "e1",
        at: at(6),
        nodeId: inmail.id,
        exit: "sent",
        toNodeId: null,
        branch,
        note: null,
      },
      {
        id: 3,
        enrollmentId: "e1",
        at: at(9),
        nodeId: inmail.id,
        exit: null,
        toNodeId: null,
        branch,
        note: "Removed from the campaign by Ada",
      },
    ],
    actions: [
      {
        id: "a1",
        enrollmentId: "e1",
        campaignId: "c1",
        accountName: "Ada's seat",
        nodeId: inmail.id,
        kind: "inmail",
        status: "sent",
        reason: null,
        error: null,
        branch,
        variant: "b",
        credits: 1,
        createdAt: at(6),
        sentAt: at(6),
      },
    ],
    events: [{ id: 1, type: "replied", occurredAt: at(7), accountName: "Ada's seat" }],
    credits: [
      {
        id: 1,
        at: at(6),
        type: "spend",
        amount: 1,
        campaignId: "c1",
        enrollmentId: "e1",
        nodeId: inmail.id,
        branch,
        variant: "b",
        note: null,
      },
      {
        id: 2,
        at: at(8),
        type: "refund",
        amount: 1,
        campaignId: "c1",
        enrollmentId: null,
        nodeId: inmail.id,
        branch,
        variant: "b",
        note: "replied within 90 days",
      },
    ],
  });

  it("tells the lead's story in order, same-instant rows as they happen", () => {
    expect(items.map((item) => [item.kind, item.title])).toEqual([
      ["enrolled", "Enrolled"],
      ["branch", expect.stringMatching(/^Branch taken: Not accepted within/)],
      ["action", "InMail sent"],
      ["credit", "1 InMail credit spent"],
      ["step", "Moved on (sent)"],
      ["event", "Replied"],
      ["credit", "1 InMail credit refunded"],
      ["ended", "Left the campaign"],
    ]);
  });

  it("labels the branch and the step from the version the lead runs on", () => {
    const sent = items.find((item) => item.kind === "action")!;
    expect(sent).toMatchObject({
      campaign: { id: "c1", name: "Connect first" },
      branch: expect.stringMatching(/^Not accepted within/),
      step: expect.stringContaining("InMail"),
      variant: "b",
      credits: 1,
      detail: "from Ada's seat",
    });
  });

  it("counts a refund as credits given back, tied to its campaign by id", () => {
    const refund = items.find((item) => item.title.endsWith("refunded"))!;
    expect(refund).toMatchObject({
      credits: -1,
      campaign: { id: "c1" },
      detail: "replied within 90 days",
    });
  });

  it("names a step an older version had without showing its id", () => {
    const [, moved] = buildLeadTimeline({
      enrollments: [enrollment],
      steps: [
        {
          id: 9,
          enrollmentId: "e1",
          at: at(1),
          nodeId: "gone",
          exit: "next",
          toNodeId: "also-gone",
          branch: "",
          note: null,
        },
      ],
      actions: [],
      events: [],
      credits: [],
    });
    expect(moved).toMatchObject({
      kind: "step",
      step: "a step of an earlier version",
      detail: "to a step of an earlier version",
      branch: "Main path",
    });
    expect(JSON.stringify(moved)).not.toMatch(/gone/);
  });

  it("shows a seat handover as a move on the same step, with the reason, not as leaving", () => {
    const invite = nodeOf("connect");
    const note = "Moved from seat Ada's seat to seat Bob's seat: Ada's seat is restricted";
    const [, moved] = buildLeadTimeline({
      enrollments: [enrollment],
      steps: [
        {
          id: 10,
          enrollmentId: "e1",
          at: at(2),
          nodeId: invite.id,
          exit: null,
          toNodeId: invite.id,
          branch: "",
          note,
        },
      ],
      actions: [],
      events: [],
      credits: [],
    });
    expect(moved).toMatchObject({
      kind: "step",
      title: "Moved to another seat",
      detail: note,
      step: expect.stringContaining("Connect"),
    });
  });
});
