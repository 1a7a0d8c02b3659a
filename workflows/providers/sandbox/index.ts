/** The sandbox LinkedIn world: the default provider, seeded and deterministic. */
export {
  baseNetworkDistance,
  personFor,
  providerIdFor,
  type SandboxPerson,
  sandboxId,
} from "./people";
export {
  drawReplyLanguage,
  generateReply,
  INTENDED_CATEGORY,
  SANDBOX_REPLY_KINDS,
  SANDBOX_REPLY_LANGUAGES,
  type SandboxReply,
  type SandboxReplyKind,
  type SandboxReplyLanguage,
  type SandboxReplyMix,
  SandboxReplyMixSchema,
} from "./replies";
export {
  type EventFilter,
  InMemorySandboxStore,
  type ReceivedFilter,
  type SandboxAccountState,
  type SandboxEvent,
  type SandboxReceived,
  type SandboxStore,
} from "./store";
export { SandboxWorld, type SandboxWorldOptions } from "./world";
export {
  accountSettings,
  mergeSettingsInput,
  type SandboxAccountSettings,
  type SandboxAccountSettingsInput,
  SandboxAccountSettingsSchema,
  type SandboxCall,
  type SandboxScript,
  type SandboxWorldSettings,
  type SandboxWorldSettingsInput,
  SandboxWorldSettingsSchema,
} from "./world-settings";
