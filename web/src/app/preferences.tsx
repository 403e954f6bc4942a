import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';

export type Theme = 'system' | 'light' | 'dark';
export type TimeZone = 'local' | 'utc';

interface Preferences {
  theme: Theme;
  setTheme(theme: Theme): void;
  timeZone: TimeZone;
  setTimeZone(zone: TimeZone): void;
}

const THEME = 'chronotrack.theme';
const ZONE = 'chronotrack.timeZone';

const read = (name: string): string | null => {
  try {
    return window.localStorage.getItem(name);
  } catch {
    return null;
  }
};
const write = (name: string, value: string) => {
  try {
    window.localStorage.setItem(name, value);
  } catch {
    // Storage refused (private mode): the choice lasts until the tab closes.
  }
};

const PreferencesContext = createContext<Preferences>({
  theme: 'system',
  setTheme: () => {},
  timeZone: 'local',
  setTimeZone: () => {},
});

/** Theme (the system's unless the user picks one) and time zone, remembered on this device. */
export function PreferencesProvider({ children }: { children: ReactNode }) {
  const [theme, setTheme] = useState<Theme>(() => {
    const stored = read(THEME);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  });
  const [timeZone, setTimeZone] = useState<TimeZone>(() =>
    read(ZONE) === 'utc' ? 'utc' : 'local',
  );
  useEffect(() => {
    if (theme === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    write(THEME, theme);
  }, [theme]);
  useEffect(() => write(ZONE, timeZone), [timeZone]);
  return (
    <PreferencesContext.Provider value={{ theme, setTheme, timeZone, setTimeZone }}>
      {children}
    </PreferencesContext.Provider>
  );
}

export const usePreferences = () => useContext(PreferencesContext);
