/**
 * The theme setting lives in the main process and is known only once the app has booted; the
 * start-up screen before that uses the last setting seen, remembered here (only a hint: the
 * setting itself always wins), or the operating system's choice (styles.css).
 */
const KEY = 'outpost.theme';

/** Called with the theme setting whenever it is known. */
export function rememberTheme(theme: string): void {
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // Unavailable storage only means the next start-up screen follows the operating system.
  }
}

/** Applies the remembered theme to the start-up screen, first thing. */
export function applyRememberedTheme(): void {
  try {
    const theme = localStorage.getItem(KEY);
    if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  } catch {
    // as above
  }
}
