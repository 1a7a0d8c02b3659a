/** Reply classification: pure, no I/O. */
export {
  type ClassifyOptions,
  classifyReply,
  REPLY_CATEGORIES,
  type ReplyCategory,
  type ReplyClassification,
} from "./classify";
export { findReturnDate, isoDate, parseIsoDate } from "./dates";
export { OUT_OF_OFFICE_PAUSE_DAYS, readInboundEvent } from "./intake";
export { detectLanguage, REPLY_LANGUAGES, type ReplyLanguage } from "./language";
export { findReferralName } from "./referral";
export { foldText, replyBody } from "./text";
