import { useEffect, useRef, useState } from 'react';
import { useAnnounce } from './Announcer.tsx';
import { copyToClipboard } from './copyToClipboard.ts';
import { CheckIcon, CopyIcon } from './icons.tsx';

export interface CopyButtonProps {
  /** What is copied. */
  text: string;
  /** What it is, for the accessible name and the announcement: "access key ID" → "Copy access key ID". */
  what: string;
  /** Show "Copy" next to the icon. Defaults to `true`. */
  showLabel?: boolean;
  className?: string;
}

/** A copy button that confirms with a check mark and "Copied" for a moment, and announces it. */
export function CopyButton({ text, what, showLabel = true, className }: CopyButtonProps) {
  const announce = useAnnounce();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const label = state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy';
  return (
    <button
      type="button"
      className={`btn btn-ghost btn-sm copy-button ${className ?? ''}`}
      data-copy={state}
      onClick={async () => {
        const copied = await copyToClipboard(text);
        setState(copied ? 'copied' : 'failed');
        announce(copied ? `Copied ${what}.` : `Could not copy ${what}: select it and copy it by hand.`);
        clearTimeout(timer.current);
        timer.current = setTimeout(() => setState('idle'), 2_000);
      }}
    >
      {state === 'copied' ? <CheckIcon /> : <CopyIcon />}
      <span className={showLabel ? undefined : 'visually-hidden'}>
        {label}
        <span className="visually-hidden"> {what}</span>
      </span>
    </button>
  );
}
