/**
 * Calls `wake` when a page comes back: the tab becomes visible, the network comes back, or the page is restored
 * from the back/forward cache. Browsers throttle timers in background tabs (to once a minute or less), so a poll or
 * refresh that was due meanwhile runs at once instead of whenever the throttled timer fires.
 *
 * Does nothing (and returns a no-op) where there is no `document` / `window`: Node, workers, server rendering.
 */
export function installBrowserWake(wake: () => void): () => void {
  if (!inBrowser()) return () => {};
  const doc = document;
  const win = window;
  const onVisibilityChange = () => {
    if (doc.visibilityState === 'visible') wake();
  };
  const onOnline = () => wake();
  doc.addEventListener('visibilitychange', onVisibilityChange);
  win.addEventListener('online', onOnline);
  win.addEventListener('pageshow', onOnline);
  return () => {
    doc.removeEventListener('visibilitychange', onVisibilityChange);
    win.removeEventListener('online', onOnline);
    win.removeEventListener('pageshow', onOnline);
  };
}

/** @internal Whether `window` and `document` exist. `typeof` touches nothing: safe during server rendering. */
export function inBrowser(): boolean {
  return typeof window !== 'undefined' && typeof document !== 'undefined';
}
