import type { SVGProps } from "react";
import type { NodeIcon } from "@/workflows/nodes/index";

/** A kind's icon, drawn inline from its module's shapes: no icon package, no request. */
export function KindIcon({ icon, ...props }: { icon?: NodeIcon } & SVGProps<SVGSVGElement>) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      className="size-4"
      {...props}
    >
      {icon ? (
        icon.shapes.map((shape, index) =>
          "path" in shape ? (
            <path key={index} d={shape.path} />
          ) : "circle" in shape ? (
            <circle key={index} {...shape.circle} />
          ) : (
            <rect key={index} {...shape.rect} />
          ),
        )
      ) : (
        <circle cx="12" cy="12" r="8" />
      )}
    </svg>
  );
}
