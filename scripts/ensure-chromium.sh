#!/usr/bin/env bash
# The browser test (functions/http/docs/docs.browser.test.ts) drives Chromium through playwright-core;
# `npx playwright install` cannot download browsers here. Tests never install system packages:
# this only checks, and says how. `.ci/run` installs Debian's chromium. CHROMIUM_PATH points at
# another Chromium-based browser (GitHub's runners have /usr/bin/google-chrome).
set -euo pipefail
browser=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$browser" ] && exit 0
echo "chromium is missing: the browser test needs a Chromium at $browser." >&2
echo "Install Debian's with: sudo apt-get update && sudo apt-get install -y chromium" >&2
echo "(or set CHROMIUM_PATH to a Chromium-based browser that is installed)" >&2
exit 1
