#!/usr/bin/env bash
# Fetch one package's tarball from the npm registry, check it against the integrity the registry
# publishes (pinned here), and unpack it: the browser libraries the app serves itself need no Node.
#   scripts/fetch_npm.sh NAME VERSION SHA512_BASE64 DEST
set -euo pipefail
name=$1 version=$2 integrity=$3 dest=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
curl -sSfL --retry 3 -o "$tmp/package.tgz" "https://registry.npmjs.org/$name/-/${name##*/}-$version.tgz"
got=$(openssl dgst -sha512 -binary "$tmp/package.tgz" | base64 -w0)
if [ "$got" != "$integrity" ]; then
  echo "fetch_npm: $name@$version does not match its published sha512; not installed" >&2
  exit 1
fi
mkdir -p "$tmp/unpacked" && tar -xzf "$tmp/package.tgz" -C "$tmp/unpacked"
rm -rf "$dest" && mkdir -p "$(dirname "$dest")" && mv "$tmp/unpacked/package" "$dest"
