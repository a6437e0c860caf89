import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import { createPortal } from 'react-dom';

const AnnounceContext = createContext<(message: string) => void>(() => {});
const HostContext = createContext<(host: HTMLElement | null) => void>(() => {});

/**
 * The signed-in screens' one polite live region (the sign-in screen has the prompt's instead, so there is never
 * more than one): "Copied", "Session refreshed"… It is present before anything is said, and clears itself.
 *
 * While a modal dialog is open, everything outside it is inert and leaves the accessibility tree, live regions
 * included: the dialog lends itself as the region's host ({@link useAnnouncerHost}), so what is said there is
 * heard. Still one region: it moves, it is not duplicated.
 */
export function Announcer({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState('');
  const [host, setHost] = useState<HTMLElement | null>(null);
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
  const region = (
    <div role="status" aria-live="polite" className="visually-hidden" data-testid="announcer">
      {message}
    </div>
  );
  return (
    <AnnounceContext.Provider value={announce}>
      <HostContext.Provider value={setHost}>
        {children}
        {host ? createPortal(region, host) : region}
      </HostContext.Provider>
    </AnnounceContext.Provider>
  );
}

/** Says `message` through the nearest {@link Announcer}. */
export function useAnnounce(): (message: string) => void {
  return useContext(AnnounceContext);
}

/**
 * Hosts the nearest {@link Announcer}'s live region in `element` while it is given (an open modal dialog), and
 * gives it back when it is `null` or the component unmounts. A layout effect: the region is in place before the
 * browser paints, so before anything can be copied and said in the dialog.
 */
export function useAnnouncerHost(element: HTMLElement | null): void {
  const setHost = useContext(HostContext);
  useLayoutEffect(() => {
    if (!element) return;
    setHost(element);
    return () => setHost(null);
  }, [element, setHost]);
}
