/**
 * LinkedIn's InMail plans: what each grants per month, the most a pool can
 * hold, and whether a reply earns the credit back.
 */
import { z } from "zod";
import type { RefundPolicy } from "./refunds";

export const PLAN_IDS = [
  "premium_career",
  "premium_business",
  "sales_navigator_core",
  "recruiter_lite",
  "recruiter_professional",
  "custom",
] as const;
export const PlanIdSchema = z.enum(PLAN_IDS);
export type PlanId = z.infer<typeof PlanIdSchema>;

export interface CreditPlan {
  id: PlanId;
  label: string;
  allowancePerMonth: number;
  /** The balance never exceeds this: renewal forfeits what would go above it. */
  cap: number;
  /** Team contracts negotiate their numbers, so those pools set allowance and cap themselves. */
  allowanceSettable: boolean;
  defaultRefundPolicy: RefundPolicy;
  /** Credits per add-on purchase; null where the plan sells none. */
  addOnBlockSize: number | null;
}

const noRefund: RefundPolicy = { type: "none" };
const refundOnReply: RefundPolicy = { type: "on_reply", windowDays: 90, delayDays: 1 };

export const CREDIT_PLANS: Readonly<Record<PlanId, CreditPlan>> = {
  premium_career: {
    id: "premium_career",
    label: "Premium Career",
    allowancePerMonth: 5,
    cap: 15,
    allowanceSettable: false,
    defaultRefundPolicy: noRefund,
    addOnBlockSize: null,
  },
  premium_business: {
    id: "premium_business",
    label: "Premium Business",
    allowancePerMonth: 15,
    cap: 45,
    allowanceSettable: false,
    defaultRefundPolicy: noRefund,
    addOnBlockSize: null,
  },
  sales_navigator_core: {
    id: "sales_navigator_core",
    label: "Sales Navigator Core",
    allowancePerMonth: 50,
    cap: 150,
    allowanceSettable: false,
    defaultRefundPolicy: noRefund,
    addOnBlockSize: null,
  },
  recruiter_lite: {
    id: "recruiter_lite",
    label: "Recruiter Lite",
    allowancePerMonth: 30,
    cap: 120,
    allowanceSettable: false,
    defaultRefundPolicy: refundOnReply,
    addOnBlockSize: 10,
  },
  recruiter_professional: {
    id: "recruiter_professional",
    label: "Recruiter Professional / Corporate",
    allowancePerMonth: 150,
    cap: 450,
    allowanceSettable: true,
    defaultRefundPolicy: refundOnReply,
    addOnBlockSize: null,
  },
  custom: {
    id: "custom",
    label: "Custom",
    allowancePerMonth: 0,
    cap: 0,
    allowanceSettable: true,
    defaultRefundPolicy: noRefund,
    addOnBlockSize: null,
  },
};
