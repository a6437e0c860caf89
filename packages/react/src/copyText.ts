/**
 * Copies `text` to the clipboard: with the async Clipboard API where it exists (secure contexts), else by
 * selecting a temporary off-screen text area and `document.execCommand('copy')`, which older browsers and
 * non-secure contexts (plain-http intranet pages) still honour. Resolves `false` when neither worked.
 */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No Clipboard API (or no navigator), permission denied or no user activation: the selection may still work.
    return copyWithSelection(text);
  }
}

function copyWithSelection(text: string): boolean {
  const area = document.createElement('textarea');
  const previousFocus = document.activeElement;
  area.value = text;
  // Off-screen but rendered, so it can be selected; readonly keeps mobile keyboards closed.
  area.readOnly = true;
  area.style.cssText = 'position:fixed;top:0;left:-9999px;opacity:0';
  document.body.append(area);
  area.focus({ preventScroll: true });
  area.select();
  let copied = false;
  try {
    // Throws where execCommand is gone (it is deprecated): then nothing could be copied.
    copied = document.execCommand('copy');
  } catch {}
  area.remove();
  // Selecting moved focus to the text area: give it back to the button.
  (previousFocus as HTMLElement | null)?.focus?.();
  return copied;
}
