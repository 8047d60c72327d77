#!/usr/bin/env bash
# Builds the release binaries the container image ships, and installs them with the shipped
# scenarios and traces under PREFIX (default dist/):
#
#   PREFIX/bin/swapsim, PREFIX/bin/gpu-calibrate, PREFIX/scenarios/, PREFIX/traces/
#
# deploy/Dockerfile runs exactly this script in its build stage, and .ci/run runs it too, so
# the image's build steps are tested on every CI run even where no container tool exists.
# The Swift standard library and Foundation are linked statically: the binaries need only
# glibc and SQLite's shared library (libsqlite3) at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${1:-dist}

for product in swapsim gpu-calibrate; do
    swift build -c release --static-swift-stdlib --product "$product"
done
bin=$(swift build -c release --static-swift-stdlib --show-bin-path)

mkdir -p "$PREFIX/bin"
install -m 0755 "$bin/swapsim" "$bin/gpu-calibrate" "$PREFIX/bin/"
rm -rf "$PREFIX/scenarios" "$PREFIX/traces"
cp -R scenarios traces "$PREFIX/"
"$PREFIX/bin/swapsim" --version
