export type ThemeChoice = 'system' | 'light' | 'dark';

const THEME_KEY = 'oidc-device-login-demo:theme';

/** The stored choice; `system` (follow `prefers-color-scheme`) when none or unreadable. */
export function storedTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

/** Applies a choice (`data-theme` on `<html>`, which the kit's prompt styles follow too) and remembers it. */
export function applyTheme(choice: ThemeChoice, remember = true): void {
  const root = document.documentElement;
  if (choice === 'system') delete root.dataset.theme;
  else root.dataset.theme = choice;
  if (!remember) return;
  try {
    if (choice === 'system') localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, choice);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
}
