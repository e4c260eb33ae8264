/** Small inline icons: SVG renders the same everywhere, where symbol glyphs depend on installed fonts. */
const common = { width: 14, height: 14, viewBox: '0 0 16 16', 'aria-hidden': true, focusable: false } as const;

export const PlayIcon = () => (
  <svg {...common}>
    <path d="M4 2.5v11l9-5.5z" fill="currentColor" />
  </svg>
);

export const PauseIcon = () => (
  <svg {...common}>
    <rect x="3.5" y="2.5" width="3" height="11" rx="0.5" fill="currentColor" />
    <rect x="9.5" y="2.5" width="3" height="11" rx="0.5" fill="currentColor" />
  </svg>
);

export const StepIcon = () => (
  <svg {...common}>
    <path d="M3 2.5v11l7.5-5.5z" fill="currentColor" />
    <rect x="11" y="2.5" width="2.5" height="11" rx="0.5" fill="currentColor" />
  </svg>
);

export const AdvanceIcon = () => (
  <svg {...common}>
    <path d="M1.5 3v10l6-5z M8 3v10l6-5z" fill="currentColor" />
  </svg>
);

export const TimerIcon = () => (
  <svg {...common}>
    <circle cx="8" cy="9" r="5.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
    <path d="M8 9V5.8 M6.5 1.8h3" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" fill="none" />
  </svg>
);

export const ScreenIcon = () => (
  <svg {...common}>
    <rect x="1.5" y="2.5" width="13" height="8.5" rx="1" fill="none" stroke="currentColor" strokeWidth="1.5" />
    <path d="M8 11v2.5 M5 13.75h6" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" fill="none" />
  </svg>
);

export const GearIcon = () => (
  <svg {...common}>
    <circle cx="8" cy="8" r="5.3" fill="none" stroke="currentColor" strokeWidth="2.8" strokeDasharray="2.1 2.06" />
    <circle cx="8" cy="8" r="4" fill="none" stroke="currentColor" strokeWidth="1.6" />
  </svg>
);
