"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, requestJson } from "@/components/ui/api";

export const OVERVIEW_KEY = ["credits-overview"] as const;

/**
 * A change on the Credits page: sends it, refetches the pools on success, and keeps the
 * server's message and field errors for the form.
 */
export function useCreditsMutation<Input, Result>(
  request: (input: Input) => { url: string; method: string; body?: unknown },
  onDone?: (result: Result) => void,
) {
  const queryClient = useQueryClient();
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const mutation = useMutation({
    mutationFn: (input: Input) => {
      const { url, method, body } = request(input);
      return requestJson<Result>(url, { method, body });
    },
    onMutate: () => setFieldErrors({}),
    onSuccess: async (result) => {
      onDone?.(result);
      await queryClient.invalidateQueries({ queryKey: OVERVIEW_KEY });
    },
    onError: (error) => {
      if (error instanceof ApiError) {
        setFieldErrors(
          Object.fromEntries(
            Object.entries(error.fieldErrors).map(([key, messages]) => [key, messages[0] ?? ""]),
          ),
        );
      }
    },
  });
  return { ...mutation, fieldErrors };
}

/** A number field's value: undefined when empty, NaN (refused by the server) when not a number. */
export function numberField(form: FormData, name: string): number | undefined {
  const text = String(form.get(name) ?? "").trim();
  if (text === "") return undefined;
  return /^[-+\u2212]?\d+$/.test(text) ? Number(text.replace("\u2212", "-")) : Number.NaN;
}
