import { useCallback, useSyncExternalStore } from 'react';

/**
 * Whole seconds left until `expiresAt` (epoch ms), never below 0; `undefined` without a deadline, on the server
 * and during hydration (so the server HTML and the first client render agree).
 *
 * The component that calls this re-renders once per second and nothing else does: the timer is its own, and it
 * fires at each whole-second boundary of the remaining time rather than on a drifting interval.
 */
export function useRemainingSeconds(expiresAt: number | undefined): number | undefined {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (expiresAt === undefined) return () => {};
      let timer: ReturnType<typeof setTimeout> | undefined;
      const schedule = () => {
        const left = expiresAt - Date.now();
        if (left <= 0) return;
        timer = setTimeout(
          () => {
            onChange();
            schedule();
          },
          left % 1000 || 1000,
        );
      };
      schedule();
      return () => clearTimeout(timer);
    },
    [expiresAt],
  );
  const getSnapshot = useCallback(
    () => (expiresAt === undefined ? undefined : remainingSeconds(expiresAt, Date.now())),
    [expiresAt],
  );
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}

const getServerSnapshot = () => undefined;

/** Whole seconds from `now` to `expiresAt`, rounded up, so `0` means "expired". */
export function remainingSeconds(expiresAt: number, now: number): number {
  return Math.max(0, Math.ceil((expiresAt - now) / 1000));
}
