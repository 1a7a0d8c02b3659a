export {
  balanceDelta,
  balanceOf,
  type EntryCheck,
  LEDGER_ENTRY_TYPES,
  type LedgerEntry,
  LedgerEntrySchema,
  type LedgerEntryType,
  type LedgerTags,
  LedgerTagsSchema,
  validateEntry,
} from "./ledger";
export { CREDIT_PLANS, type CreditPlan, PLAN_IDS, type PlanId, PlanIdSchema } from "./plans";
export {
  type CreditPool,
  type CreditPoolInput,
  CreditPoolSchema,
  creditPoolForPlan,
  type PoolIssue,
  poolNumberIssues,
} from "./pool";
export {
  type InmailResponse,
  type RefundDecision,
  type RefundPolicy,
  RefundPolicySchema,
  type RefundRefusal,
  refundDecision,
} from "./refunds";
export {
  forecastRenewal,
  nextRenewal,
  type RenewalForecast,
  type RenewalSettings,
  renewalDates,
  renewalEntries,
  renewalSplit,
} from "./renewal";
export {
  type PoolEvent,
  type PoolSimulation,
  type RefusedEvent,
  simulateLedger,
} from "./simulate";
