/** "14:05": a clock time in the browser's locale. */
export function formatClockTime(epochMs: number): string {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(epochMs);
}

/**
 * "in 59 minutes", "in 2 hours", "30 seconds ago": a coarse distance from `now`, in the browser's locale. Coarse on
 * purpose: the screens re-render every few seconds, not every second.
 */
export function formatRelative(epochMs: number, now: number): string {
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const seconds = Math.round((epochMs - now) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 60) return format.format(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 90) return format.format(minutes, 'minute');
  return format.format(Math.round(seconds / 3600), 'hour');
}
