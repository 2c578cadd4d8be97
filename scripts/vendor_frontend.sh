#!/usr/bin/env bash
# Vendor the front-end files the web UI loads, from the npm registry at pinned versions.
#
#   scripts/vendor_frontend.sh            # rewrite kechuang/static/vendor/
#
# Only the dist files the pages use are kept, with each package's licence. Source-map comments
# are removed (the maps are not vendored, and the manifest static storage would otherwise look
# for them). The pages load nothing from outside the site: Tabler's CSS uses system fonts only.
set -euo pipefail

TABLER_VERSION="1.6.1"
HTMX_VERSION="2.0.11"
ECHARTS_VERSION="6.1.0"

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/kechuang/static/vendor"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

fetch() {  # fetch PACKAGE@VERSION DIR: download the tarball (integrity checked by npm) and unpack
  local spec="$1" dir="$2" tarball
  tarball="$(cd "$WORK" && npm pack "$spec" --silent | tail -n 1)"
  mkdir -p "$WORK/$dir"
  tar -xzf "$WORK/$tarball" -C "$WORK/$dir" --strip-components=1
}

strip_source_map() {  # copy SRC DST without its sourceMappingURL comment
  sed -E '/^(\/\/# sourceMappingURL=|\/\*# sourceMappingURL=).*$/d' "$1" > "$2"
}

fetch "@tabler/core@$TABLER_VERSION" tabler
fetch "htmx.org@$HTMX_VERSION" htmx
fetch "echarts@$ECHARTS_VERSION" echarts

if grep -Eo "url\((['\"]?)(https?:)?//" "$WORK/tabler/dist/css/tabler.min.css"; then
  echo "tabler.min.css references an external URL; refusing to vendor it" >&2
  exit 1
fi

rm -rf "$DEST"
mkdir -p "$DEST/tabler" "$DEST/htmx" "$DEST/echarts"

strip_source_map "$WORK/tabler/dist/css/tabler.min.css" "$DEST/tabler/tabler.min.css"
strip_source_map "$WORK/tabler/dist/js/tabler.min.js" "$DEST/tabler/tabler.min.js"
# The @tabler/core tarball has no LICENSE file; its package.json says MIT and its dist files
# carry the copyright lines, which the licence text below repeats.
{
  echo "MIT License"
  echo
  sed -n 's/^ \* \(Copyright .*\)$/\1/p' "$WORK/tabler/dist/css/tabler.min.css"
  cat <<'EOF'

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
EOF
} > "$DEST/tabler/LICENSE"

strip_source_map "$WORK/htmx/dist/htmx.min.js" "$DEST/htmx/htmx.min.js"
cp "$WORK/htmx/LICENSE" "$DEST/htmx/LICENSE"

strip_source_map "$WORK/echarts/dist/echarts.min.js" "$DEST/echarts/echarts.min.js"
cp "$WORK/echarts/LICENSE" "$WORK/echarts/NOTICE" "$DEST/echarts/"

cat > "$DEST/VERSIONS" <<EOF
# Written by scripts/vendor_frontend.sh; edit the versions there and re-run it.
@tabler/core $TABLER_VERSION  tabler/tabler.min.css tabler/tabler.min.js (MIT)
htmx.org $HTMX_VERSION  htmx/htmx.min.js (0BSD)
echarts $ECHARTS_VERSION  echarts/echarts.min.js (Apache-2.0)
EOF

echo "vendored into $DEST:"
(cd "$DEST" && find . -type f | sort)
