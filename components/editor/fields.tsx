"use client";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { inputClass } from "@/components/ui/field";
import { numberFromInput } from "./model/fields";

// Small labelled controls for the inspector. Each shows the schema's message for its field
// beside it and points to it with aria-describedby.

export function FieldMessage({
  id,
  errors,
  hint,
}: {
  id: string;
  errors?: readonly string[];
  hint?: ReactNode;
}) {
  if (errors && errors.length > 0) {
    return (
      <p id={`${id}-message`} className="mt-1 text-xs text-red-700">
        {errors.join(" ")}
      </p>
    );
  }
  if (hint) {
    return (
      <p id={`${id}-message`} className="mt-1 text-xs text-slate-600">
        {hint}
      </p>
    );
  }
  return null;
}

const describedBy = (id: string, errors?: readonly string[], hint?: ReactNode) =>
  (errors && errors.length > 0) || hint ? `${id}-message` : undefined;

export function NumberField({
  id,
  label,
  value,
  onChange,
  errors,
  hint,
  min,
  max,
  disabled,
  className,
}: {
  id: string;
  label: string;
  value: unknown;
  onChange: (value: number | string) => void;
  errors?: readonly string[];
  hint?: ReactNode;
  min?: number;
  max?: number;
  disabled?: boolean;
  className?: string;
}) {
  const invalid = errors !== undefined && errors.length > 0;
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        min={min}
        max={max}
        value={typeof value === "number" || typeof value === "string" ? value : ""}
        onChange={(event) => onChange(numberFromInput(event.target.value))}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, errors, hint)}
        className={cn(inputClass, invalid && "ring-red-400")}
      />
      <FieldMessage id={id} errors={errors} hint={hint} />
    </div>
  );
}

export function TextInputField({
  id,
  label,
  value,
  onChange,
  errors,
  hint,
  list,
  disabled,
  maxLength,
}: {
  id: string;
  label: string;
  value: unknown;
  onChange: (value: string) => void;
  errors?: readonly string[];
  hint?: ReactNode;
  list?: string;
  disabled?: boolean;
  maxLength?: number;
}) {
  const invalid = errors !== undefined && errors.length > 0;
  return (
    <div>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={id}
        type="text"
        list={list}
        maxLength={maxLength}
        value={typeof value === "string" ? value : ""}
        onChange={(event) => onChange(event.target.value)}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, errors, hint)}
        className={cn(inputClass, invalid && "ring-red-400")}
      />
      <FieldMessage id={id} errors={errors} hint={hint} />
    </div>
  );
}

export function SelectField({
  id,
  label,
  value,
  options,
  onChange,
  errors,
  hint,
  disabled,
  className,
}: {
  id: string;
  label: string;
  value: unknown;
  options: ReadonlyArray<{ value: string; label: string }>;
  onChange: (value: string) => void;
  errors?: readonly string[];
  hint?: ReactNode;
  disabled?: boolean;
  className?: string;
}) {
  const invalid = errors !== undefined && errors.length > 0;
  const current = typeof value === "string" ? value : "";
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <select
        id={id}
        value={current}
        onChange={(event) => onChange(event.target.value)}
        disabled={disabled}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy(id, errors, hint)}
        className={cn(inputClass, invalid && "ring-red-400")}
      >
        {options.some((option) => option.value === current) ? null : (
          <option value={current}>Choose…</option>
        )}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldMessage id={id} errors={errors} hint={hint} />
    </div>
  );
}

export function CheckboxField({
  id,
  label,
  checked,
  onChange,
  errors,
  hint,
  disabled,
}: {
  id: string;
  label: string;
  checked: unknown;
  onChange: (checked: boolean) => void;
  errors?: readonly string[];
  hint?: ReactNode;
  disabled?: boolean;
}) {
  return (
    <div>
      <div className="flex items-start gap-2">
        <input
          id={id}
          type="checkbox"
          checked={checked === true}
          onChange={(event) => onChange(event.target.checked)}
          disabled={disabled}
          aria-describedby={describedBy(id, errors, hint)}
          className="mt-0.5 size-4 rounded border-slate-400"
        />
        <label htmlFor={id} className="text-sm text-slate-800">
          {label}
        </label>
      </div>
      <FieldMessage id={id} errors={errors} hint={hint} />
    </div>
  );
}
