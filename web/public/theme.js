// The theme before the first paint: no flash of the wrong colours. A file, not an inline script,
// so the dashboard's Content-Security-Policy allows no inline script at all.
try {
  const t = localStorage.getItem('chronotrack.theme');
  if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t;
} catch {
  // No storage (a locked-down browser): the system's colours.
}
