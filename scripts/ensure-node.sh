#!/usr/bin/env bash
# Installs a Node.js release line from the npm registry's node-linux-<arch> package (the only
# source of Node binaries reachable from CI) and prints its bin directory. Idempotent: a cached
# install is reused. Usage: scripts/ensure-node.sh 24
set -euo pipefail
major="${1:?usage: ensure-node.sh MAJOR}"
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "ensure-node: no Node package for $(uname -m)" >&2; exit 1 ;;
esac
cache="${ECS_SIM_NODE_CACHE:-$HOME/.cache/ecs-sim}/node-$major-$arch"
if [ ! -x "$cache/bin/node" ]; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$major" >/dev/null)
  mkdir -p "$cache"
  tar -xzf "$tmp"/node-linux-"$arch"-*.tgz -C "$cache" --strip-components=1
fi
"$cache/bin/node" --version >&2
echo "$cache/bin"
