import { describe, expect, it } from "vitest";
import {
  ACTION_KINDS,
  ACTIONS,
  defaultConfig,
  EXIT_HANDLES,
  findNodeDefinition,
  getNodeDefinition,
  isActionKind,
  isNodeKind,
  NODE_KINDS,
  nodeCatalog,
  nodeDescriptors,
  paletteKinds,
} from "./catalog";

const context = { template: {} };

describe("the node catalog", () => {
  it("lists the eleven kinds in palette order", () => {
    expect(NODE_KINDS).toEqual([
      "start",
      "visit",
      "follow",
      "connect",
      "message",
      "inmail",
      "like_post",
      "wait",
      "if_accepted",
      "if_replied",
      "end",
    ]);
  });

  it("files every definition under its own kind", () => {
    for (const kind of NODE_KINDS) expect(getNodeDefinition(kind).kind).toBe(kind);
  });

  it("gives every kind a label, description, icon, colour and distinct exits", () => {
    for (const definition of nodeDescriptors) {
      expect(definition.label).not.toBe("");
      expect(definition.description).not.toBe("");
      expect(definition.icon.name).toMatch(/^[a-z-]+$/);
      expect(definition.icon.shapes.length).toBeGreaterThan(0);
      expect(definition.colour).toMatch(/^#[0-9a-f]{6}$/);
      const handles = definition.exits.map((exit) => exit.handle);
      expect(new Set(handles).size).toBe(handles.length);
    }
  });

  it("gives every kind defaults that pass its own validation", () => {
    for (const kind of NODE_KINDS) {
      expect(nodeCatalog[kind].checkConfig(defaultConfig(kind), context)).toEqual({
        valid: true,
        issues: [],
      });
    }
  });

  it("returns fresh defaults, so editing one step never changes another", () => {
    const first = defaultConfig("message");
    first.variants.push({ id: "b", weight: 1, text: "changed" });
    expect(defaultConfig("message").variants).toHaveLength(1);
  });

  it("marks exactly the wait as a wait and the two checks as conditions", () => {
    const waits = nodeDescriptors.filter((d) => d.engine.isWait).map((d) => d.kind);
    const conditions = nodeDescriptors.filter((d) => d.engine.isCondition).map((d) => d.kind);
    expect(waits).toEqual(["wait"]);
    expect(conditions).toEqual(["if_accepted", "if_replied"]);
  });

  it("maps every action kind to one step kind performing it", () => {
    const effects = nodeDescriptors.flatMap((d) => (d.send ? [d.send.action] : []));
    expect(effects).toEqual([...ACTION_KINDS]);
    expect(ACTION_KINDS).toEqual(["visit", "follow", "connect", "message", "inmail", "like_post"]);
  });

  it("names and caps every action kind from the step performing it", () => {
    for (const kind of ACTION_KINDS) {
      expect(ACTIONS[kind].defaultDailyCap).toBeGreaterThan(0);
      expect(ACTIONS[kind].capLabel).toMatch(/ a day$/);
      expect(ACTIONS[kind].chartColour).toMatch(/^#[0-9a-f]{6}$/);
    }
    expect(ACTIONS.connect.plural).toBe("Invitations");
    expect(isActionKind("connect")).toBe(true);
    expect(isActionKind("toString")).toBe(false);
  });

  it("collects every exit name of every kind, once", () => {
    expect([...EXIT_HANDLES].sort()).toEqual(["next", "no", "no_post", "not_sent", "sent", "yes"]);
  });

  it("keeps Start out of the palette", () => {
    expect(paletteKinds).not.toContain("start");
    expect(paletteKinds).toHaveLength(NODE_KINDS.length - 1);
  });

  it("does not mistake object prototype names for kinds", () => {
    for (const name of ["toString", "__proto__", "constructor", "hasOwnProperty"]) {
      expect(findNodeDefinition(name)).toBeUndefined();
      expect(isNodeKind(name)).toBe(false);
    }
    expect(findNodeDefinition(42)).toBeUndefined();
  });

  it("summarises a step whose config does not parse without failing", () => {
    expect(nodeCatalog.wait.summarize({ amount: "soon" })).toBe("Wait · needs attention");
  });

  it("says which sending kinds write to the lead, as their requests carry text", () => {
    const input = {
      lead: { firstName: "Ada" },
      roll: 0.5,
      firstDegree: false,
      isOpenProfile: true,
    };
    const withText = { connect: { noteVariants: [{ id: "a", weight: 1, text: "Hi" }] } };
    for (const descriptor of nodeDescriptors) {
      const send = descriptor.send;
      if (!send) continue;
      const config = {
        ...(descriptor.defaults() as object),
        ...withText[descriptor.kind as "connect"],
      };
      const plan = send.prepare(config, input);
      const carriesText = "hasText" in plan && plan.hasText;
      expect({ kind: descriptor.kind, writesText: send.writesText }).toEqual({
        kind: descriptor.kind,
        writesText: carriesText,
      });
    }
  });
});
