import { cn } from "@/components/ui/cn";
import { CATEGORY_LABELS, CATEGORY_TONES } from "./labels";

export function CategoryBadge({ category }: { category: string | null }) {
  if (!category) return null;
  return (
    <span
      className={cn(
        "inline-flex rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset",
        CATEGORY_TONES[category] ?? CATEGORY_TONES.other,
      )}
    >
      {CATEGORY_LABELS[category] ?? category}
    </span>
  );
}
