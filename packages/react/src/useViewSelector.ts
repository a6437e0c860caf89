import type { DeviceLogin, DeviceLoginView } from '@oidc-device-login/core';
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';

/**
 * Reads `select(login.getView())` and re-renders only when the selection changes by `isEqual`.
 *
 * The algorithm of React's `useSyncExternalStoreWithSelector`, without the extra package: the selection is
 * memoised per view object (the login returns the same frozen view until something changes), and the last
 * committed selection is reused when a new one is equal, so inline `select` functions cost no extra renders.
 */
export function useViewSelector<TSelected>(
  login: DeviceLogin,
  select: (view: DeviceLoginView) => TSelected,
  isEqual: (a: TSelected, b: TSelected) => boolean,
): TSelected {
  const committed = useRef<{ selected: TSelected } | null>(null);

  const subscribe = useCallback((onChange: () => void) => login.subscribe(onChange), [login]);

  const getSelection = useMemo(() => {
    let memo: { view: DeviceLoginView; selected: TSelected } | null = null;
    return () => {
      const view = login.getView();
      if (memo && memo.view === view) return memo.selected;
      let selected = select(view);
      // Keep the previous object when nothing the component reads changed: React then skips the render.
      const previous = memo ? memo.selected : committed.current?.selected;
      if (previous !== undefined && isEqual(previous, selected)) selected = previous;
      memo = { view, selected };
      return selected;
    };
  }, [login, select, isEqual]);

  // The view is plain data, so the server snapshot is the same call (renderToString needs one).
  const selected = useSyncExternalStore(subscribe, getSelection, getSelection);

  useEffect(() => {
    committed.current = { selected };
  }, [selected]);

  return selected;
}
