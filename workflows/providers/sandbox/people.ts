/**
 * The people of the sandbox world. Nobody is stored: a person's traits are named draws from the
 * world seed and their public identifier, so any process that knows the seed sees the same person,
 * and one lead's traits never depend on which other leads exist or in what order they come.
 */
import { bernoulli, drawInt, type SeedPart, seedFor, uniform01 } from "../../random";
import type { NetworkDistance } from "../types";
import { accountSettings, type SandboxWorldSettings } from "./world-settings";

export interface SandboxPerson {
  publicIdentifier: string;
  /** The member id LinkedIn would give; depends on the identifier only, not on the seed. */
  providerId: string;
  isPremium: boolean;
  isOpenProfile: boolean;
  refusesInmail: boolean;
  unreachable: boolean;
}

/**
 * A stable, opaque id built from its parts: 24 hex digits (96 bits, so unrelated ids never
 * collide in practice). Used for member ids, references, chat ids and event ids.
 */
export function sandboxId(prefix: string, ...parts: readonly SeedPart[]): string {
  let hex = "";
  for (let block = 0; block < 3; block++) {
    const value = drawInt(seedFor("sandbox-id", prefix, block, ...parts), 0, 0xffffffff);
    hex += value.toString(16).padStart(8, "0");
  }
  return `${prefix}${hex}`;
}

export function providerIdFor(publicIdentifier: string): string {
  return sandboxId("sbx_", publicIdentifier);
}

/** A person's traits, drawn with the world-level shares (`settings.defaults.people`). */
export function personFor(
  seed: string | number,
  publicIdentifier: string,
  settings: SandboxWorldSettings,
): SandboxPerson {
  const people = settings.defaults.people;
  const draw = (trait: string) => seedFor(seed, "person", publicIdentifier, trait);
  const isPremium = bernoulli(draw("premium"), people.premium);
  const isOpenProfile =
    isPremium && bernoulli(draw("open-profile"), people.openProfileAmongPremium);
  return {
    publicIdentifier,
    providerId: providerIdFor(publicIdentifier),
    isPremium,
    isOpenProfile,
    // Open Profile means "anyone may message me": such a member never refuses InMail.
    refusesInmail: !isOpenProfile && bernoulli(draw("refuses-inmail"), people.refusesInmail),
    unreachable: bernoulli(draw("unreachable"), people.unreachable),
  };
}

/**
 * The person's distance to one account before any invitation is accepted, drawn with that
 * account's shares; the same person can be 1st degree to one account and 2nd to another.
 */
export function baseNetworkDistance(
  seed: string | number,
  providerAccountId: string,
  publicIdentifier: string,
  settings: SandboxWorldSettings,
): NetworkDistance {
  const network = accountSettings(settings, providerAccountId).network;
  const u = uniform01(seedFor(seed, "distance", providerAccountId, publicIdentifier));
  if (u < network.firstDegree) return 1;
  if (u < network.firstDegree + network.secondDegree) return 2;
  if (u < network.firstDegree + network.secondDegree + network.thirdDegree) return 3;
  return null;
}
