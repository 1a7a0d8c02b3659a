import { NumberField } from "@/components/editor/fields";
import { MAX_CONDITION_DAYS } from "@/workflows/nodes/index";
import type { InspectorProps } from "./types";

/** The one setting both conditions have: how many days to wait for what they check. */
export function ConditionWindow({
  nodeId,
  config,
  errors,
  setField,
  readOnly,
  label,
  explanation,
}: InspectorProps & { label: string; explanation: string }) {
  return (
    <div className="space-y-3">
      <NumberField
        id={`${nodeId}-within-days`}
        label={label}
        value={config.withinDays}
        min={1}
        max={MAX_CONDITION_DAYS}
        onChange={(days) => setField("withinDays", days)}
        errors={errors.withinDays}
        hint={`1 to ${MAX_CONDITION_DAYS} days.`}
        disabled={readOnly}
      />
      <p className="text-sm text-slate-700">{explanation}</p>
    </div>
  );
}
