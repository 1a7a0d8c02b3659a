export {
  type CapDecision,
  type CapName,
  type CapsInForce,
  type CapUsage,
  capCheck,
  capsInForce,
  effectiveCaps,
  rollingConnectUsage,
  rollingWindowDates,
  scaleCap,
  warmupFactor,
} from "./caps";
export {
  gapSeconds,
  type JitterSettings,
  type ScheduledSend,
  type SendDraw,
  scheduleNextSend,
  sendDrawFor,
  startOffsetMinutes,
} from "./jitter";
export {
  addLocalDays,
  daysBetweenLocalDates,
  isoWeekday,
  localDate,
  startOfLocalDate,
} from "./local-time";
export {
  ACTION_KINDS,
  type ActionKind,
  ActionKindSchema,
  type CapSettings,
  CapSettingsSchema,
  DEFAULT_DAILY_CAPS,
  DEFAULT_WARMUP_RAMP,
  type LocalDate,
  LocalDateSchema,
  type PacingSettings,
  type PacingSettingsInput,
  PacingSettingsSchema,
  storedPacing,
  TimeZoneSchema,
  type Warmup,
  WarmupSchema,
  type WorkingHours,
  WorkingHoursSchema,
} from "./settings";
export { addWait, type WaitDuration, WaitDurationSchema, type WaitSettings } from "./waits";
export {
  isWithinWorkingHours,
  nextWorkingDayStart,
  nextWorkingInstant,
  type StartOffsetFor,
  type WorkingHoursSettings,
} from "./working-hours";
