/**
 * Copies `text` to the clipboard: with the async Clipboard API where it exists (secure contexts), else by
 * selecting a temporary off-screen text area and `document.execCommand('copy')`, which older browsers and
 * non-secure contexts (plain-http intranet pages) still honour. Resolves `false` when neither worked.
 */
export async function copyText(text: string): Promise<boolean> {
  if (typeof navigator !== 'undefined' && navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // Permission denied or no user activation: the selection fallback may still work.
    }
  }
  return copyWithSelection(text);
}

function copyWithSelection(text: string): boolean {
  if (typeof document === 'undefined') return false;
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  // Off-screen but rendered, so it can be selected; readonly keeps mobile keyboards closed.
  area.style.position = 'fixed';
  area.style.top = '0';
  area.style.left = '-9999px';
  area.style.opacity = '0';
  const previousFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  document.body.append(area);
  area.focus({ preventScroll: true });
  area.select();
  let copied = false;
  try {
    copied = typeof document.execCommand === 'function' && document.execCommand('copy');
  } catch {
    copied = false;
  }
  area.remove();
  // Selecting moved focus to the text area: give it back to the button.
  previousFocus?.focus();
  return copied;
}
