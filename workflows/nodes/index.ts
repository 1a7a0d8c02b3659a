export type {
  ActionKind,
  ActionRequest,
  ExitHandle,
  KindNotSentReason,
  NodeCatalog,
  NodeConfig,
  NodeKind,
} from "./catalog";
export {
  ACTION_KINDS,
  ACTIONS,
  byActionKind,
  defaultConfig,
  EXIT_HANDLES,
  findNodeDefinition,
  getNodeDefinition,
  isActionKind,
  isNodeKind,
  NODE_KINDS,
  nodeCatalog,
  nodeDescriptors,
  paletteKinds,
} from "./catalog";
export type { ConnectConfig } from "./connect";
export { connectConfigSchema, connectNode, hasNote } from "./connect";
export type {
  ActionPresentation,
  ConfigCheck,
  EngineBehaviour,
  EngineFlags,
  ExitDefinition,
  ExitName,
  IconShape,
  NodeCheckContext,
  NodeDefinition,
  NodeDescriptor,
  NodeIcon,
  NodeIssue,
  NodeIssueCode,
  PaletteGroup,
  PathEffects,
  PathExpectation,
  PathFact,
  SendFace,
  SendInput,
  SendPlan,
  SendRoute,
  Severity,
  WaitDuration,
} from "./definition";
export { NODE_ISSUE_CODES, PATH_FACTS, variantLetter } from "./definition";
export type { EndConfig } from "./end";
export { endConfigSchema, endNode, SUGGESTED_OUTCOMES } from "./end";
export type { FollowConfig } from "./follow";
export { followConfigSchema, followNode } from "./follow";
export type { IfAcceptedConfig } from "./if-accepted";
export { ifAcceptedConfigSchema, ifAcceptedNode, MAX_CONDITION_DAYS } from "./if-accepted";
export type { IfRepliedConfig } from "./if-replied";
export { ifRepliedConfigSchema, ifRepliedNode } from "./if-replied";
export type { InMailConfig, InMailNotSentReason } from "./inmail";
export { INMAIL_NOT_SENT_REASONS, inmailConfigSchema, inmailNode } from "./inmail";
export {
  characterCount,
  exceedsLimit,
  INMAIL_BODY_HINT_LENGTH,
  TEXT_LIMITS,
  type TextLimitName,
} from "./limits";
export type { MessageConfig, MessagePlan } from "./message";
export { messageConfigSchema, messageNode } from "./message";
export type { StartConfig } from "./start";
export { startConfigSchema, startNode } from "./start";
export type {
  LeadVariable,
  LongestValues,
  RenderedTemplate,
  RenderForSendResult,
  TemplateAnalysis,
  TemplateLead,
  TemplateOptions,
  TemplateProblem,
  TemplateSegment,
} from "./template";
export {
  analyseTemplate,
  DEFAULT_LONGEST_VALUES,
  LEAD_VARIABLES,
  parseTemplate,
  renderForSend,
  renderTemplate,
} from "./template";
export { MAX_VARIANT_WEIGHT, MAX_VARIANTS, pickVariant, type WeightedVariant } from "./variants";
export type { VisitConfig } from "./visit";
export { visitConfigSchema, visitNode } from "./visit";
export type { WaitConfig } from "./wait";
export { MAX_WAIT_DAYS, waitConfigSchema, waitDuration, waitNode } from "./wait";
