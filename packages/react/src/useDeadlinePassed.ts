import { useCallback, useSyncExternalStore } from 'react';

/** The longest delay `setTimeout` takes (about 24.8 days); longer ones fire at once. */
const MAX_DELAY = 2 ** 31 - 1;

/**
 * True once the wall clock reaches `deadline` (epoch ms); `false` without a deadline, on the server and during
 * hydration. Re-renders the caller once, when the deadline passes: one timer, no ticking.
 */
export function useDeadlinePassed(deadline: number | undefined): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (deadline === undefined) return () => {};
      let timer: ReturnType<typeof setTimeout> | undefined;
      const schedule = () => {
        const left = deadline - Date.now();
        if (left <= 0) return;
        timer = setTimeout(
          () => {
            onChange();
            schedule();
          },
          Math.min(left, MAX_DELAY),
        );
      };
      schedule();
      return () => clearTimeout(timer);
    },
    [deadline],
  );
  const getSnapshot = useCallback(() => deadline !== undefined && Date.now() >= deadline, [deadline]);
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}

const getServerSnapshot = () => false;
