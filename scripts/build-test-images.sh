#!/usr/bin/env bash
# Builds the local test images the Docker runtime tests use (no registry needed).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ctx="$root/fixtures/images/busybox"

src="${BUSYBOX_BIN:-}"
if [ -z "$src" ]; then
  for c in /bin/busybox /usr/bin/busybox; do
    if [ -x "$c" ] && file -L "$c" 2>/dev/null | grep -q "statically linked"; then src="$c"; break; fi
  done
fi
if [ -z "$src" ]; then
  echo "build-test-images: no static busybox found (apt-get install busybox-static, or set BUSYBOX_BIN)" >&2
  exit 1
fi
cp "$src" "$ctx/busybox"
chmod 0755 "$ctx/busybox"
docker build -q -t ecs-sim-test/busybox:latest "$ctx" >/dev/null
echo "built ecs-sim-test/busybox:latest"
