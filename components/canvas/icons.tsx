import type { ReactNode, SVGProps } from "react";

// The node kinds name their icon (a lucide name, in workflows/nodes); the canvas draws them
// here inline, so the editor needs no icon package or network request.
const PATHS: Readonly<Record<string, ReactNode>> = {
  play: <path d="M7 4.5v15l12-7.5z" />,
  eye: (
    <>
      <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
      <circle cx="12" cy="12" r="3" />
    </>
  ),
  "bell-plus": (
    <>
      <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-1-.7-1.9-2.6" />
      <path d="M10.3 21a1.9 1.9 0 0 0 3.4 0M19 2v6M16 5h6" />
    </>
  ),
  "user-plus": (
    <>
      <circle cx="9" cy="8" r="4" />
      <path d="M2 21c.8-3.7 3.6-6 7-6s6.2 2.3 7 6M19 8v6M16 11h6" />
    </>
  ),
  "message-square": <path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z" />,
  mail: (
    <>
      <rect x="2" y="4" width="20" height="16" rx="2" />
      <path d="m22 7-10 6L2 7" />
    </>
  ),
  clock: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M12 7v5l3 2" />
    </>
  ),
  "user-check": (
    <>
      <circle cx="9" cy="8" r="4" />
      <path d="M2 21c.8-3.7 3.6-6 7-6s6.2 2.3 7 6M16 11l2 2 4-4" />
    </>
  ),
  "message-circle-reply": (
    <>
      <path d="M7.9 20A9 9 0 1 0 4 16.1L2 22z" />
      <path d="m10 9-3 3 3 3M7 12h7a2 2 0 0 1 2 2v1" />
    </>
  ),
  flag: <path d="M4 22V4s1.5-1 4.5-1S13 5 16 5s4-1 4-1v11s-1 1-4 1-4.5-2-7.5-2S4 15 4 15" />,
};

export function KindIcon({ name, ...props }: { name: string } & SVGProps<SVGSVGElement>) {
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
      {PATHS[name] ?? <circle cx="12" cy="12" r="8" />}
    </svg>
  );
}
