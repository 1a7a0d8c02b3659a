/** The real LinkedIn through Unipile: the adapter, its error mapping and webhook reading. */
export {
  DEFAULT_TIMEOUT_MS,
  followRequestUrl,
  type SeenRelation,
  UnipileProvider,
  type UnipileProviderOptions,
  withTimeout,
} from "./adapter";
export {
  describeFailure,
  errorType,
  type FailedOutcome,
  isTransientFailure,
  outcomeOfFailure,
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
