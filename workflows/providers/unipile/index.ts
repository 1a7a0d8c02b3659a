/** The real LinkedIn through Unipile: the adapter, its error mapping and webhook reading. */
export {
  balanceOfApi,
  type ChatMessagePage,
  DEFAULT_TIMEOUT_MS,
  followRequestUrl,
  type LeadApiIdCache,
  type SeenRelation,
  UnipileProvider,
  type UnipileProviderOptions,
  withTimeout,
} from "./adapter";
export {
  describeFailure,
  errorType,
  type FailedOutcome,
  isCredentialsFailure,
  isTransientFailure,
  outcomeOfFailure,
  RESEND_WAIT_MS,
  type UnipileErrorBody,
  UnipileTimeoutError,
  unipileErrorBody,
} from "./errors";
export {
  accountAnswer,
  type InmailBalances,
  instantOf,
  networkDistanceOf,
  profileSnapshot,
} from "./responses";
export {
  deliveryKey,
  messageEventId,
  parseUnipileWebhook,
  relationEventId,
  type UnipileWebhook,
} from "./webhook";
