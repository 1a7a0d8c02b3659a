/**
 * LinkedIn profile addresses → public identifiers.
 *
 * A lead is known by its public identifier (the slug after linkedin.com/in/), never by a URL:
 * exports spell the same profile with or without scheme and www, with a country subdomain,
 * tracking parameters, a trailing slash, a locale segment, raw accents or %-encoded ones. They
 * all come down to one canonical form: %-decoded, Unicode NFC, lower case (LinkedIn's profile
 * addresses ignore case), so the same person is one lead whatever the export wrote.
 */
import { z } from "zod";

export const PUBLIC_IDENTIFIER_MIN = 3;
export const PUBLIC_IDENTIFIER_MAX = 100;
/** Letters in any script, combining marks, digits, - and _: what LinkedIn allows in a slug. */
const IDENTIFIER_CHARACTERS = /^[\p{L}\p{M}\p{N}_-]+$/u;
const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** "javascript:", "mailto:"…, but not a host followed by its port ("linkedin.com:443"). */
const ANY_SCHEME = /^[a-z][a-z0-9+.-]*:(?!\d)/i;
const EMAIL = /^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/g;

export type ProfileReference =
  | { ok: true; publicIdentifier: string }
  | { ok: false; reason: string };

const refuse = (reason: string): ProfileReference => ({ ok: false, reason });

function shorten(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** Sections of linkedin.com that are not a person's profile, and what to call them. */
const NOT_A_PROFILE: Record<string, string> = {
  company: "a company page",
  school: "a school page",
  showcase: "a showcase page",
  groups: "a group",
  jobs: "a job listing",
  posts: "a post",
  pulse: "an article",
  feed: "the feed",
  events: "an event",
  search: "a search",
  learning: "a course",
  newsletters: "a newsletter",
};

function decodeSlug(slug: string): string | null {
  try {
    return decodeURIComponent(slug);
  } catch {
    return null;
  }
}

/** Checks and canonicalises a decoded slug. */
function canonical(slug: string, shown: string): ProfileReference {
  const value = slug.normalize("NFC").toLowerCase();
  const length = [...value].length;
  if (length < PUBLIC_IDENTIFIER_MIN || length > PUBLIC_IDENTIFIER_MAX) {
    return refuse(
      `"${shorten(shown)}" is not a public identifier: they have ${PUBLIC_IDENTIFIER_MIN} to ${PUBLIC_IDENTIFIER_MAX} characters.`,
    );
  }
  if (!IDENTIFIER_CHARACTERS.test(value)) {
    return refuse(
      `"${shorten(shown)}" is not a public identifier: use letters, digits, - and _ only.`,
    );
  }
  return { ok: true, publicIdentifier: value };
}

function fromAddress(value: string): ProfileReference {
  const withScheme = SCHEME.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return refuse(`"${shorten(value)}" is not a valid web address.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return refuse(`"${shorten(value)}" is not a web address.`);
  }
  const host = url.hostname.toLowerCase();
  if (host === "lnkd.in") {
    return refuse(
      `"${shorten(value)}" is a LinkedIn short link: open it and copy the profile's address.`,
    );
  }
  if (host !== "linkedin.com" && !host.endsWith(".linkedin.com")) {
    return refuse(`"${shorten(value)}" is not a LinkedIn address.`);
  }
  // The parser %-encodes raw accents, so both spellings arrive here in the same form.
  const segments = url.pathname.split("/").filter((segment) => segment.length > 0);
  if (segments[0]?.toLowerCase() === "mwlite") segments.shift();
  const section = segments[0]?.toLowerCase();
  if (section === "in" || (section === "pub" && segments.length === 2)) {
    const slug = segments[1];
    if (!slug) return refuse(`"${shorten(value)}" has no profile name after /${section}/.`);
    const decoded = decodeSlug(slug);
    if (decoded === null) {
      return refuse(`"${shorten(value)}" has a broken %-encoded character in its profile name.`);
    }
    return canonical(decoded, decoded);
  }
  if (section === "pub") {
    return refuse(
      `"${shorten(value)}" is an old /pub/ address: open it on LinkedIn and copy the /in/ address it leads to.`,
    );
  }
  if (section === "sales") {
    const kind = segments[1]?.toLowerCase();
    return kind === "lead" || kind === "people"
      ? refuse(
          `"${shorten(value)}" is a Sales Navigator link, which names the lead by a Sales Navigator id, not a public profile: use the lead's linkedin.com/in/ address.`,
        )
      : refuse(`"${shorten(value)}" is a Sales Navigator page, not a person's profile.`);
  }
  const what = section ? NOT_A_PROFILE[section] : undefined;
  if (what) return refuse(`"${shorten(value)}" is ${what}, not a person's profile.`);
  return refuse(
    `"${shorten(value)}" is not a LinkedIn profile address: those look like linkedin.com/in/name.`,
  );
}

/**
 * Reads a profile address or a bare public identifier, as found in an export, into the
 * canonical public identifier — or the reason it names no person.
 */
export function parseProfileReference(raw: string): ProfileReference {
  const value = raw.replace(INVISIBLE, "").trim();
  if (value.length === 0) return refuse("No LinkedIn profile address.");
  if (value.length > 2000) return refuse("The LinkedIn profile address is too long.");
  if (EMAIL.test(value)) {
    return refuse(`"${shorten(value)}" is an email address, not a LinkedIn profile.`);
  }
  if (ANY_SCHEME.test(value) && !/^https?:/i.test(value)) {
    return refuse(`"${shorten(value)}" is not a web address.`);
  }
  if (SCHEME.test(value) || value.includes("/") || /^www\./i.test(value)) {
    return fromAddress(value);
  }
  if (/linkedin\.com$/i.test(value)) return fromAddress(value);
  // A bare identifier, possibly %-encoded as LinkedIn writes it in addresses.
  const decoded = value.includes("%") ? decodeSlug(value) : value;
  if (decoded === null) {
    return refuse(`"${shorten(value)}" has a broken %-encoded character.`);
  }
  return canonical(decoded, value);
}

/** The canonical public identifier, or null when the value names no profile. */
export function canonicalPublicIdentifier(raw: string): string | null {
  const parsed = parseProfileReference(raw);
  return parsed.ok ? parsed.publicIdentifier : null;
}

/** The profile's address on LinkedIn, for links. */
export function profileUrl(publicIdentifier: string): string {
  return `https://www.linkedin.com/in/${encodeURIComponent(publicIdentifier)}/`;
}

/**
 * A profile address or a public identifier, parsed into the canonical public identifier; the
 * reason it names no person is the validation message.
 */
export const profileReferenceSchema = z
  .string()
  .max(2000)
  .transform((value, ctx) => {
    const parsed = parseProfileReference(value);
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.reason });
      return z.NEVER;
    }
    return parsed.publicIdentifier;
  });
