import { describe, expect, it } from "vitest";
import { classifyReply, MAX_REPLY_CHARS } from "./classify";
import { findReturnDate, parseIsoDate } from "./dates";
import { detectLanguage } from "./language";
import { findReferralName } from "./referral";
import { foldText, replyBody } from "./text";

const REFERENCE = "2026-02-16"; // a Monday
const classify = (text: string, referenceDate: string | Date = REFERENCE) =>
  classifyReply(text, { referenceDate });
const back = (text: string, language: Parameters<typeof findReturnDate>[2] = "en") =>
  findReturnDate(text, parseIsoDate(REFERENCE)!, language);

describe("classifyReply", () => {
  it("puts a request to stop above everything else it says", () => {
    expect(classify("Not interested. Stop messaging me.").category).toBe("unsubscribe");
    expect(classify("Pas intéressé et merci de ne plus m'écrire.").category).toBe("unsubscribe");
    expect(classify("I'm on holiday until 3 March. Remove me from your list.").category).toBe(
      "unsubscribe",
    );
  });

  it("does not read 'not interested' as interested, in any language", () => {
    for (const text of ["Not interested", "pas intéressé", "Kein Interesse", "No me interesa"]) {
      expect(classify(text).category, text).toBe("not_interested");
    }
  });

  it("weighs the clause after the last 'but' more", () => {
    expect(classify("Not sure it's for us but happy to take a look").category).toBe("interested");
    expect(classify("Interesting idea, but we're all set, thanks").category).toBe("not_interested");
  });

  it("reads only what the lead wrote: not the quoted message, not the signature", () => {
    const reply = "Not now, thanks.\n\n> On Mon, Paul wrote:\n> Interested in a demo? Let's talk!";
    expect(classify(reply).category).toBe("not_interested");
    expect(replyBody("Sounds good\n\nBest,\nMark\nHead of Sales")).toBe("Sounds good");
    expect(replyBody("Thanks")).toBe("Thanks");
  });

  it("answers other for a reply without words, and for pleasantries", () => {
    for (const text of ["", "   ", "👍", "Thanks for connecting!", "Bonne année !"]) {
      expect(classify(text), text).toEqual({
        category: "other",
        language: text.trim() === "" || text === "👍" ? "und" : expect.any(String),
        returnDate: null,
        referral: null,
      });
    }
  });

  it("gives a return date only for an out-of-office, and a name only for a referral", () => {
    expect(classify("Sounds good, let's talk on 12 March!")).toMatchObject({
      category: "interested",
      returnDate: null,
    });
    expect(classify("I'm out of the office until 12 March.")).toMatchObject({
      category: "out_of_office",
      returnDate: "2026-03-12",
      referral: null,
    });
    expect(classify("Please contact Jane Doe, I'm not the right person.")).toMatchObject({
      category: "referral",
      referral: "Jane Doe",
      returnDate: null,
    });
  });

  it("rejects a reference date that is not a date, and reads a Date by its UTC day", () => {
    expect(() => classify("hi", "2026-02-30")).toThrow(RangeError);
    expect(() => classify("hi", new Date(Number.NaN))).toThrow(RangeError);
    expect(
      classify("Out of office, back tomorrow", new Date("2026-02-16T23:30:00Z")).returnDate,
    ).toBe("2026-02-17");
  });

  it("reads a very long text only up to its bound, quickly", () => {
    const long = `${"blah ".repeat(MAX_REPLY_CHARS)} stop messaging me`;
    const started = performance.now();
    expect(classify(long).category).toBe("other");
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("findReturnDate", () => {
  it("reads day-month and month-day dates in the four languages", () => {
    expect(back("back on 12 March")).toBe("2026-03-12");
    expect(back("returning March 3rd")).toBe("2026-03-03");
    expect(back("de retour le 3 janvier", "fr")).toBe("2027-01-03");
    expect(back("jusqu'au 1er mars inclus", "fr")).toBe("2026-03-01");
    expect(back("ab dem 5. Mai wieder im Büro", "de")).toBe("2026-05-05");
    expect(back("regreso el 2 de febrero de 2027", "es")).toBe("2027-02-02");
  });

  it("reads numeric dates day first, and month first in English only when it must", () => {
    expect(back("back 03/04", "en")).toBe("2026-04-03");
    expect(back("back 03/19/2026", "en")).toBe("2026-03-19");
    expect(back("retour le 24/02", "fr")).toBe("2026-02-24");
    expect(back("ab 09.03.2026", "de")).toBe("2026-03-09");
    expect(back("back 2026-05-04")).toBe("2026-05-04");
    expect(back("vuelvo el 31/02", "es")).toBeNull();
  });

  it("takes the latest date of a range, and a yearless date in a past week as this year's", () => {
    expect(back("on leave from 16 Feb to 27 Feb")).toBe("2026-02-27");
    expect(back("vom 16.02. bis 27.02.2026", "de")).toBe("2026-02-27");
    expect(back("back on 12 February")).toBe("2026-02-12");
    expect(back("back on 2 February")).toBe("2027-02-02");
  });

  it("reads tomorrow and weekdays after the reference date, and no date as null", () => {
    expect(back("back tomorrow")).toBe("2026-02-17");
    expect(back("bis morgen", "de")).toBe("2026-02-17");
    expect(back("back Monday")).toBe("2026-02-23");
    expect(back("de retour jeudi", "fr")).toBe("2026-02-19");
    expect(back("à mon retour", "fr")).toBeNull();
    expect(back("Guten Morgen, ich bin im Urlaub", "de")).toBeNull();
    expect(back("call me on 06 12 34 56 78", "fr")).toBeNull();
  });
});

describe("findReferralName", () => {
  it("finds the person after the phrase, past possessives and roles, keeping accents", () => {
    expect(findReferralName("Voyez avec ma collègue Élodie Fournier, elle gère.")).toBe(
      "Élodie Fournier",
    );
    expect(findReferralName("Ich leite das an unseren CTO Jan Hoffmann weiter.")).toBe(
      "Jan Hoffmann",
    );
    expect(findReferralName("Te paso con nuestro CTO, Pablo Sánchez.")).toBe("Pablo Sánchez");
    expect(findReferralName("You'd want to speak with Chris O'Neil on our ops team.")).toBe(
      "Chris O'Neil",
    );
    expect(findReferralName("James Wilson is your guy.")).toBe("James Wilson");
    expect(findReferralName("pls contact my colleague anna schmidt, she knows")).toBe(
      "anna schmidt",
    );
  });

  it("falls back on a first and last name anywhere when no phrase introduces it", () => {
    expect(findReferralName("Isabel Ortiz on our side covers this.")).toBe("Isabel Ortiz");
    expect(findReferralName("Hi Paul, Happy Friday! Not my topic.")).toBeNull();
    expect(
      findReferralName("Falscher Ansprechpartner, bitte an die Personalabteilung."),
    ).toBeNull();
  });

  it("names no one for a department, an address or a pronoun", () => {
    expect(findReferralName("Bitte an die Personalabteilung wenden.")).toBeNull();
    expect(findReferralName("Da müssten Sie sich an unsere Geschäftsführung wenden.")).toBeNull();
    expect(findReferralName("Reach out to tom.baker@acme.com")).toBeNull();
    expect(findReferralName("Please contact me next week")).toBeNull();
  });
});

describe("detectLanguage and foldText", () => {
  it("tells the four languages apart on short replies", () => {
    expect(detectLanguage("Nein danke")).toBe("de");
    expect(detectLanguage("Ok merci !")).toBe("fr");
    expect(detectLanguage("No, gracias")).toBe("es");
    expect(detectLanguage("Sounds good")).toBe("en");
    expect(detectLanguage("🙏")).toBe("und");
  });

  it("folds case and accents one character for one", () => {
    const text = "Élodie FOURNIER’s Straße 🙂";
    expect(foldText(text)).toHaveLength(text.length);
    expect(foldText(text)).toBe("elodie fournier's straße 🙂");
  });
});
