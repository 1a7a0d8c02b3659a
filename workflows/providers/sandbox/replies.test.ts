import { describe, expect, it } from "vitest";
import { classifyReply } from "../../replies/classify";
import { parseIsoDate } from "../../replies/dates";
import {
  generateReply,
  SANDBOX_REPLY_KINDS,
  SANDBOX_REPLY_LANGUAGES,
  type SandboxReplyMix,
  SandboxReplyMixSchema,
} from "./replies";
import { InMemorySandboxStore } from "./store";
import { SandboxWorld } from "./world";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 9);
const defaultMix = SandboxReplyMixSchema.parse({});

function draws(mix: SandboxReplyMix, count: number) {
  return Array.from({ length: count }, (_, i) =>
    // Times spread over a year so that dates cross month and year ends.
    generateReply(`draw-${i}`, mix, { at: new Date(T0 + i * 0.37 * DAY) }),
  );
}

function shares<T extends string>(values: readonly T[], keys: readonly T[]) {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<T, number>;
  for (const value of values) counts[value]++;
  return Object.fromEntries(keys.map((key) => [key, counts[key] / values.length])) as Record<
    T,
    number
  >;
}

describe("generateReply", () => {
  it("follows the default proportions of kinds and languages over many draws", () => {
    const replies = draws(defaultMix, 6000);
    const kinds = shares(
      replies.map((reply) => reply.kind),
      SANDBOX_REPLY_KINDS,
    );
    const totalKinds = Object.values(defaultMix.kinds).reduce((a, b) => a + b, 0);
    for (const kind of SANDBOX_REPLY_KINDS) {
      // 6,000 draws: a share's standard error is at most 0.65 points; 2.5 points is ~4 sigma.
      expect(Math.abs(kinds[kind] - defaultMix.kinds[kind] / totalKinds)).toBeLessThan(0.025);
    }
    const languages = shares(
      replies.map((reply) => reply.language),
      SANDBOX_REPLY_LANGUAGES,
    );
    for (const language of SANDBOX_REPLY_LANGUAGES) {
      expect(Math.abs(languages[language] - defaultMix.languages[language])).toBeLessThan(0.025);
    }
  });

  it("follows proportions that are set, and never draws a kind or language weighted 0", () => {
    const mix = SandboxReplyMixSchema.parse({
      kinds: {
        interested: 3,
        question: 0,
        not_interested: 0,
        out_of_office: 1,
        referral: 0,
        unsubscribe: 0,
        thanks: 0,
      },
      languages: { en: 0, fr: 1, de: 1, es: 0 },
    });
    const replies = draws(mix, 4000);
    const kinds = shares(
      replies.map((reply) => reply.kind),
      SANDBOX_REPLY_KINDS,
    );
    expect(Math.abs(kinds.interested - 0.75)).toBeLessThan(0.03);
    expect(Math.abs(kinds.out_of_office - 0.25)).toBeLessThan(0.03);
    expect(kinds.interested + kinds.out_of_office).toBe(1);
    const languages = shares(
      replies.map((reply) => reply.language),
      SANDBOX_REPLY_LANGUAGES,
    );
    expect(languages.en + languages.es).toBe(0);
    expect(Math.abs(languages.fr - 0.5)).toBeLessThan(0.03);
  });

  it("rejects a mix where nothing can be drawn", () => {
    const zero = { interested: 0, question: 0, not_interested: 0, out_of_office: 0 };
    const kinds = { ...zero, referral: 0, unsubscribe: 0, thanks: 0 };
    expect(SandboxReplyMixSchema.safeParse({ kinds }).success).toBe(false);
    expect(
      SandboxReplyMixSchema.safeParse({ languages: { en: 0, fr: 0, de: 0, es: 0 } }).success,
    ).toBe(false);
    expect(SandboxReplyMixSchema.safeParse({ kinds: { interested: -1 } }).success).toBe(false);
  });

  it("writes the same reply for the same draw, and different replies for different draws", () => {
    const at = new Date(T0);
    expect(generateReply("same", defaultMix, { at })).toEqual(
      generateReply("same", defaultMix, { at }),
    );
    const texts = new Set(draws(defaultMix, 300).map((reply) => reply.text));
    expect(texts.size).toBeGreaterThan(60);
  });

  it("keeps a language it is given, and puts the return date and the colleague in the text", () => {
    const ooo = SandboxReplyMixSchema.parse({
      kinds: { ...Object.fromEntries(SANDBOX_REPLY_KINDS.map((k) => [k, 0])), out_of_office: 1 },
    });
    for (let i = 0; i < 200; i++) {
      const at = new Date(T0 + i * DAY);
      const reply = generateReply(`ooo-${i}`, ooo, { at, language: "de" });
      expect(reply.language).toBe("de");
      expect(reply.intendedCategory).toBe("out_of_office");
      const back = parseIsoDate(reply.returnDate!)!.getTime();
      const day = Math.floor(at.getTime() / DAY) * DAY;
      expect(back - day).toBeGreaterThanOrEqual(2 * DAY);
      expect(back - day).toBeLessThanOrEqual(21 * DAY);
    }
    const referral = SandboxReplyMixSchema.parse({
      kinds: { ...Object.fromEntries(SANDBOX_REPLY_KINDS.map((k) => [k, 0])), referral: 1 },
    });
    for (let i = 0; i < 50; i++) {
      const reply = generateReply(`ref-${i}`, referral, { at: new Date(T0) });
      expect(reply.text).toContain(reply.referral!);
    }
  });

  it("is read back as the category it was written as (and the same date and name)", () => {
    // Measured: 3,000 of 3,000; the floor leaves room for a rare wording, not for a broken rule.
    const replies = draws(defaultMix, 3000);
    let right = 0;
    const wrong: string[] = [];
    replies.forEach((reply, i) => {
      const got = classifyReply(reply.text, { referenceDate: new Date(T0 + i * 0.37 * DAY) });
      const ok =
        got.category === reply.intendedCategory &&
        got.returnDate === reply.returnDate &&
        got.referral === reply.referral;
      if (ok) right++;
      else wrong.push(reply.text);
    });
    expect(right / replies.length, wrong.slice(0, 5).join(" | ")).toBeGreaterThanOrEqual(0.99);
  });
});

describe("the sandbox world's replies", () => {
  const settings = {
    defaults: {
      acceptance: { probability: 1 },
      reply: {
        afterMessage: 1,
        afterInmail: 1,
        afterNote: 1,
        mix: { languages: { en: 0, fr: 0, de: 1, es: 1 } },
      },
      people: { unreachable: 0 },
      network: { firstDegree: 0 },
    },
  };
  const account = { accountId: "acc", providerAccountId: "sbx-acc" };

  async function worldWithReplies(seed: string) {
    const world = new SandboxWorld({ seed, settings, store: new InMemorySandboxStore() });
    for (let i = 0; i < 30; i++) {
      const lead = { leadId: `l${i}`, publicIdentifier: `person-${i}` };
      await world.invite(
        account,
        lead,
        { note: "Hello" },
        { idempotencyKey: `i${i}`, at: new Date(T0) },
      );
    }
    return world;
  }

  it("gives every reply event its text, in the person's language, and hands the text out", async () => {
    const world = await worldWithReplies("replies");
    const replies = await world.scheduledEvents({ type: "replied" });
    expect(replies).toHaveLength(30);
    for (const event of replies) {
      expect(event.reply?.text.length).toBeGreaterThan(0);
      expect(["de", "es"]).toContain(event.reply?.language);
      const got = classifyReply(event.reply!.text, { referenceDate: event.occurredAt });
      expect(got.category).toBe(event.reply!.intendedCategory);
    }
    const delivered = await world.dueEvents(new Date(T0 + 60 * DAY));
    const texts = new Map(replies.map((event) => [event.externalId, event.reply!.text]));
    const deliveredReplies = delivered.filter((event) => event.type === "replied");
    expect(deliveredReplies).toHaveLength(30);
    for (const event of deliveredReplies) expect(event.text).toBe(texts.get(event.externalId));
    for (const event of delivered.filter((e) => e.type === "accepted")) {
      expect(event.text).toBeUndefined();
    }
  });

  it("writes the same words for the same seed, and a person keeps one language", async () => {
    const words = async (seed: string) =>
      (await (await worldWithReplies(seed)).scheduledEvents({ type: "replied" })).map(
        (event) => event.reply,
      );
    expect(await words("same")).toEqual(await words("same"));
    const world = await worldWithReplies("lang");
    const lead = { leadId: "l0", publicIdentifier: "person-0" };
    const later = new Date(T0 + 30 * DAY);
    await world.message(account, lead, { text: "Any news?" }, { idempotencyKey: "m0", at: later });
    const events = await world.scheduledEvents({
      type: "replied",
      leadPublicIdentifier: "person-0",
    });
    expect(events).toHaveLength(2);
    expect(events[0]!.reply!.language).toBe(events[1]!.reply!.language);
  });
});
