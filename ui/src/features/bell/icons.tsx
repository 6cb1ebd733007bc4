// The follow-up's icons (stroke, currentColor), drawn like components/icons.tsx.
// Decorative: callers hide them from assistive tech.

type IconProps = { size?: number };

const common = { viewBox: "0 0 24 24", fill: "none", stroke: "currentColor", strokeWidth: 1.8, strokeLinecap: "round", strokeLinejoin: "round", "aria-hidden": true, focusable: false } as const;

export const IconBell = ({ size = 18 }: IconProps) => (
  <svg width={size} height={size} {...common}>
    <path d="M6 9.5a6 6 0 0 1 12 0c0 4.2 1.6 6 2.5 7H3.5c.9-1 2.5-2.8 2.5-7z" />
    <path d="M10 19.5a2.2 2.2 0 0 0 4 0" />
  </svg>
);

export const IconToday = ({ size = 16 }: IconProps) => (
  <svg width={size} height={size} {...common}>
    <rect x="3.5" y="5" width="17" height="15.5" rx="2" />
    <path d="M3.5 10h17M8 3v4M16 3v4" />
    <path d="m9 15 2 2 4-4" />
  </svg>
);
