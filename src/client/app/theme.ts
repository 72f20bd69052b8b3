import { useEffect } from 'react';
import { useLocalStorage } from '../hooks/use-local-storage';

/** The person's choice; `system` follows the operating system's light or dark setting. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const STORAGE_KEY = 'runboard.theme';
const DARK = '(prefers-color-scheme: dark)';
const SYSTEM: ThemeChoice = 'system';

function isThemeChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark';
}

/** The stored choice, read directly: `applyTheme` runs before React does. Same JSON format as useLocalStorage. */
export function readThemeChoice(): ThemeChoice {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    return isThemeChoice(value) ? value : SYSTEM;
  } catch {
    return SYSTEM;
  }
}

/** Puts the resolved theme on <html data-theme>, which styles.css reads. Called before the first render too. */
export function applyTheme(choice: ThemeChoice = readThemeChoice()): void {
  const dark = choice === 'dark' || (choice === 'system' && matchMedia(DARK).matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/** The theme choice, remembered in localStorage (and followed across tabs); `system` follows the OS as it changes. */
export function useTheme(): readonly [ThemeChoice, (choice: ThemeChoice) => void] {
  const [choice, setChoice] = useLocalStorage(STORAGE_KEY, SYSTEM, isThemeChoice);
  useEffect(() => {
    applyTheme(choice);
    if (choice !== 'system') return;
    const media = matchMedia(DARK);
    const follow = () => applyTheme('system');
    media.addEventListener('change', follow);
    return () => media.removeEventListener('change', follow);
  }, [choice]);
  return [choice, setChoice] as const;
}
