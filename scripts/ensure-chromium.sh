#!/usr/bin/env bash
# The browser test (functions/docs.browser.test.ts) drives Debian's Chromium through
# playwright-core; `npx playwright install` cannot download browsers here. Installs it once.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian's chromium for the browser test" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "chromium is missing: install Debian's chromium (sudo apt-get install chromium) to run the browser test" >&2
  exit 1
fi
