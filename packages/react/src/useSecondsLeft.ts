import { useCallback, useSyncExternalStore } from 'react';

/**
 * `select(seconds)`, where `seconds` is the whole number of seconds left until `expiresAt` (epoch ms), rounded up
 * and never below 0, or `undefined` without a deadline, on the server and during hydration (so the server HTML and
 * the first client render agree). `select` must return a primitive.
 *
 * The caller re-renders only when the selection changes: a countdown once a second, a threshold such as "less
 * than a minute left" once. One timer per caller fires at each whole-second boundary of the remaining time (not on
 * a drifting interval) and stops at expiry; a tick whose selection is unchanged renders nothing.
 */
export function useSecondsLeft<T>(
  expiresAt: number | undefined,
  select: (seconds: number | undefined) => T,
): T {
  const subscribe = useCallback(
    (onChange: () => void) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const schedule = () => {
        const left = expiresAt === undefined ? 0 : expiresAt - Date.now();
        if (left > 0) {
          timer = setTimeout(
            () => {
              onChange();
              schedule();
            },
            left % 1000 || 1000,
          );
        }
      };
      schedule();
      return () => clearTimeout(timer);
    },
    [expiresAt],
  );
  return useSyncExternalStore(
    subscribe,
    () =>
      select(expiresAt === undefined ? undefined : Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000))),
    () => select(undefined),
  );
}
