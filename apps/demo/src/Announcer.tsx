import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';

const AnnounceContext = createContext<(message: string) => void>(() => {});

/**
 * The signed-in screens' one polite live region (the sign-in screen has the prompt's instead, so there is never
 * more than one): "Copied", "Session refreshed"… It is present before anything is said, and clears itself.
 */
export function Announcer({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const announce = useCallback((text: string) => {
    // Cleared first, so the same sentence twice in a row is read twice.
    setMessage('');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      setMessage(text);
      timer.current = setTimeout(() => setMessage(''), 5_000);
    }, 50);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);
  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div role="status" aria-live="polite" className="visually-hidden" data-testid="announcer">
        {message}
      </div>
    </AnnounceContext.Provider>
  );
}

/** Says `message` through the nearest {@link Announcer}. */
export function useAnnounce(): (message: string) => void {
  return useContext(AnnounceContext);
}
