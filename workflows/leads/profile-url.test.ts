import { describe, expect, it } from "vitest";
import { parseProfileReference, profileReferenceSchema, profileUrl } from "./profile-url";

const identifierOf = (value: string) => {
  const parsed = parseProfileReference(value);
  if (!parsed.ok) throw new Error(`refused ${value}: ${parsed.reason}`);
  return parsed.publicIdentifier;
};

const reasonFor = (value: string) => {
  const parsed = parseProfileReference(value);
  if (parsed.ok) throw new Error(`accepted ${value} as ${parsed.publicIdentifier}`);
  return parsed.reason;
};

describe("profile addresses become public identifiers", () => {
  it.each([
    ["https://www.linkedin.com/in/ada-lovelace/", "ada-lovelace"],
    ["http://www.linkedin.com/in/ada-lovelace", "ada-lovelace"],
    ["https://linkedin.com/in/ada-lovelace", "ada-lovelace"],
    ["linkedin.com/in/ada-lovelace", "ada-lovelace"],
    ["www.linkedin.com/in/ada-lovelace", "ada-lovelace"],
    ["https://fr.linkedin.com/in/ada-lovelace", "ada-lovelace"],
    ["https://www.linkedin.com/in/ada-lovelace///", "ada-lovelace"],
    ["  https://www.linkedin.com/in/ada-lovelace/  ", "ada-lovelace"],
    ["https://www.linkedin.com/in/ada-lovelace?trk=public_profile", "ada-lovelace"],
    [
      "https://www.linkedin.com/in/ada-lovelace/?originalSubdomain=uk&utm_source=share#experience",
      "ada-lovelace",
    ],
    ["https://www.linkedin.com/in/ada-lovelace/details/experience/", "ada-lovelace"],
    ["https://www.linkedin.com/in/ada-lovelace/en", "ada-lovelace"],
    ["HTTPS://WWW.LINKEDIN.COM/IN/Ada-Lovelace", "ada-lovelace"],
    ["https://www.linkedin.com/mwlite/in/ada-lovelace", "ada-lovelace"],
    ["https://www.linkedin.com/pub/ada-lovelace", "ada-lovelace"],
    ["ada-lovelace", "ada-lovelace"],
    ["Ada_Lovelace42", "ada_lovelace42"],
  ])("%s → %s", (value, identifier) => {
    expect(identifierOf(value)).toBe(identifier);
  });

  it("reads raw accents and %-encoded ones as the same identifier", () => {
    const raw = identifierOf("https://www.linkedin.com/in/chloé-garcía-31495/");
    const encoded = identifierOf("https://www.linkedin.com/in/chlo%C3%A9-garc%C3%ADa-31495/");
    const lowerHex = identifierOf("https://www.linkedin.com/in/chlo%c3%a9-garc%c3%ada-31495");
    const bare = identifierOf("chlo%C3%A9-garc%C3%ADa-31495");
    expect(raw).toBe("chloé-garcía-31495");
    expect([encoded, lowerHex, bare]).toEqual([raw, raw, raw]);
  });

  it("puts decomposed accents (NFD, as macOS writes them) in composed form", () => {
    const decomposed = "https://www.linkedin.com/in/zoe\u0308-bauer-96647";
    expect(identifierOf(decomposed)).toBe("zoë-bauer-96647");
    expect(identifierOf(decomposed)).toBe(identifierOf("linkedin.com/in/zoë-bauer-96647"));
  });

  it("keeps letters of every script", () => {
    expect(identifierOf("https://www.linkedin.com/in/łukasz-yilmaz-8331")).toBe(
      "łukasz-yilmaz-8331",
    );
    expect(identifierOf("https://www.linkedin.com/in/%E6%9D%8E%E6%98%8E-123")).toBe("李明-123");
    expect(identifierOf("محمد-علي")).toBe("محمد-علي");
  });

  it("drops invisible characters pasted along with an address", () => {
    expect(identifierOf("\uFEFFhttps://www.linkedin.com/in/ada-lovelace\u200B")).toBe(
      "ada-lovelace",
    );
  });
});

describe("what is not a person's profile is refused with a reason", () => {
  it.each([
    ["", "No LinkedIn profile address"],
    ["   ", "No LinkedIn profile address"],
    ["https://www.linkedin.com/company/acme-robotics/", "is a company page"],
    ["https://www.linkedin.com/school/mit/", "is a school page"],
    ["https://www.linkedin.com/posts/ada_activity-123", "is a post"],
    ["https://www.linkedin.com/jobs/view/123", "is a job listing"],
    [
      "https://www.linkedin.com/sales/lead/ACwAAA1234,NAME_SEARCH,abcd",
      "is a Sales Navigator link",
    ],
    ["https://www.linkedin.com/sales/people/ACwAAA1234,NAME_SEARCH", "is a Sales Navigator link"],
    ["https://www.linkedin.com/sales/company/1234", "is a Sales Navigator page"],
    ["https://www.linkedin.com/pub/ada-lovelace/12/345/678", "is an old /pub/ address"],
    ["https://www.linkedin.com/in/", "has no profile name after /in/"],
    ["https://www.linkedin.com/", "is not a LinkedIn profile address"],
    ["https://www.linkedin.com/feed/", "is the feed"],
    ["https://lnkd.in/abc123", "is a LinkedIn short link"],
    ["https://www.example.com/in/ada-lovelace", "is not a LinkedIn address"],
    ["https://linkedin.com.example.net/in/ada-lovelace", "is not a LinkedIn address"],
    ["https://example.com/linkedin.com/in/ada-lovelace", "is not a LinkedIn address"],
    ["ftp://linkedin.com/in/ada-lovelace", "is not a web address"],
    ["javascript:alert(1)//linkedin.com/in/x", "is not a web address"],
    ["ada@example.com", "is an email address"],
    ["https://www.linkedin.com/in/ada%E9lovelace", "broken %-encoded character"],
    ["Ada Lovelace", "letters, digits, - and _ only"],
    ["<script>alert(1)</script>", "is not a valid web address"],
    ["<b>ada</b>", "is not a valid web address"],
    ["ada&lovelace", "letters, digits, - and _ only"],
    ["https://www.linkedin.com/in/ada.lovelace", "letters, digits, - and _ only"],
    ["ab", "3 to 100 characters"],
    [`https://www.linkedin.com/in/${"a".repeat(101)}`, "3 to 100 characters"],
  ])("%j", (value, reason) => {
    expect(reasonFor(value)).toContain(reason);
  });
});

describe("profileReferenceSchema", () => {
  it("answers the canonical identifier", () => {
    expect(profileReferenceSchema.parse("https://www.linkedin.com/in/Ada-Lovelace/?trk=x")).toBe(
      "ada-lovelace",
    );
  });

  it("carries the reason as the validation message", () => {
    const parsed = profileReferenceSchema.safeParse("https://www.linkedin.com/company/acme/");
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toContain("is a company page");
  });
});

describe("profileUrl", () => {
  it("links to the profile, %-encoding what addresses need encoded", () => {
    expect(profileUrl("ada-lovelace")).toBe("https://www.linkedin.com/in/ada-lovelace/");
    expect(profileUrl("chloé-garcía-31495")).toBe(
      "https://www.linkedin.com/in/chlo%C3%A9-garc%C3%ADa-31495/",
    );
    // Its identifier parses back to itself.
    expect(identifierOf(profileUrl("chloé-garcía-31495"))).toBe("chloé-garcía-31495");
  });
});
