/**
 * Where the dashboard keeps the API key: this tab only (sessionStorage) or this device
 * (localStorage), as the user chose on the key screen. Never in a cookie, never in the URL.
 */
const KEY = 'chronotrack.apiKey';

export type KeyPlace = 'session' | 'device';

const storages = (): Storage[] => {
  try {
    return [window.sessionStorage, window.localStorage];
  } catch {
    return [];
  }
};

export function readKey(): string | null {
  for (const storage of storages()) {
    const value = storage.getItem(KEY);
    if (value) return value;
  }
  return null;
}

export function saveKey(key: string, place: KeyPlace): void {
  forgetKey();
  const [session, device] = storages();
  (place === 'device' ? device : session)?.setItem(KEY, key);
}

export function forgetKey(): void {
  for (const storage of storages()) storage.removeItem(KEY);
}
