import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import { ApiError } from '../api/client';
import { AuthGate } from '../auth/AuthGate';
import { keyExpiry } from '../auth/key-expiry';
import { useSession } from '../auth/session';
import { JobDetailPage } from '../features/jobs/JobDetailPage';
import { JobsPage } from '../features/jobs/JobsPage';
import { RunDetailPage } from '../features/runs/RunDetailPage';
import { RunsPage } from '../features/runs/RunsPage';
import { PreferencesProvider, usePreferences, type Theme } from './preferences';
import { Link, matchPath, useLocation } from './router';

// Visited now and then, by whoever sets up notifications: its code loads with the page.
const ChannelsPage = lazy(() =>
  import('../features/channels/ChannelsPage').then((m) => ({ default: m.ChannelsPage })),
);

const NEXT_THEME: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const THEME_LABEL: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

function Header() {
  const { pathname } = useLocation();
  const { theme, setTheme, timeZone, setTimeZone } = usePreferences();
  const { me, hasKey, signOut } = useSession();
  const jobsActive = pathname === '/' || pathname.startsWith('/jobs/');
  const runsActive = pathname.startsWith('/runs');
  const channelsActive = pathname === '/channels';
  const expiry = keyExpiry(me.expiresAt);
  return (
    <header className="top">
      <Link to="/" className="brand">
        <span aria-hidden="true">◷</span> ChronoTrack
      </Link>
      <nav aria-label="Main">
        <Link to="/" aria-current={jobsActive ? 'page' : undefined}>
          Jobs
        </Link>
        <Link to="/runs" aria-current={runsActive ? 'page' : undefined}>
          Runs
        </Link>
        <Link to="/channels" aria-current={channelsActive ? 'page' : undefined}>
          Channels
        </Link>
      </nav>
      <div className="top-tools">
        <button
          type="button"
          onClick={() => setTimeZone(timeZone === 'local' ? 'utc' : 'local')}
          aria-label={`Times shown in ${timeZone === 'utc' ? 'UTC' : 'local time'}; switch`}
        >
          {timeZone === 'utc' ? 'UTC' : 'Local time'}
        </button>
        <button
          type="button"
          onClick={() => setTheme(NEXT_THEME[theme])}
          aria-label={`Theme: ${THEME_LABEL[theme]}; switch`}
        >
          {theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'} {THEME_LABEL[theme]}
        </button>
        <span className="key-name muted" title={`Scope ${me.scope}`}>
          {me.name} · {me.scope}
        </span>
        {expiry ? (
          <span
            className={expiry.soon ? 'key-expiry soon' : 'key-expiry muted'}
            title={`This key stops working at ${me.expiresAt}`}
          >
            {expiry.text}
          </span>
        ) : null}
        {hasKey ? (
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        ) : null}
      </div>
    </header>
  );
}

const ROUTES: Array<[string, (params: Record<string, string>) => ReactNode]> = [
  ['/', () => <JobsPage />],
  ['/jobs/:id', ({ id }) => <JobDetailPage key={id} id={Number(id)} />],
  ['/runs', () => <RunsPage />],
  ['/runs/:id', ({ id }) => <RunDetailPage key={id} id={Number(id)} />],
  [
    '/channels',
    () => (
      <Suspense fallback={<p className="muted">Loading channels…</p>}>
        <ChannelsPage />
      </Suspense>
    ),
  ],
];

function Routes() {
  const { pathname } = useLocation();
  for (const [pattern, render] of ROUTES) {
    const params = matchPath(pattern, pathname);
    // Ids are positive integers, as the API's paths want them.
    if (params && Object.values(params).every((value) => /^[1-9][0-9]{0,15}$/.test(value)))
      return <>{render(params)}</>;
  }
  return (
    <main>
      <h1>Not found</h1>
      <p>
        Nothing here. <Link to="/">Back to the jobs</Link>.
      </p>
    </main>
  );
}

export function App() {
  const [queryClient] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: {
            refetchOnWindowFocus: true,
            refetchIntervalInBackground: false,
            // A 4xx will not change by asking again.
            retry: (count, error) =>
              !(error instanceof ApiError && error.status < 500) && count < 2,
          },
        },
      }),
  );
  return (
    <PreferencesProvider>
      <QueryClientProvider client={queryClient}>
        <AuthGate>
          <Header />
          <Routes />
        </AuthGate>
      </QueryClientProvider>
    </PreferencesProvider>
  );
}
