#!/usr/bin/env bash
# CI job: draw each of the chapter's plots with `python -m nnref plot`, render
# the SVG in headless Chromium (Debian's `chromium`) to a PNG at 1:1, and check
# that the PNG is not blank and that known points have the colours the SVG
# gives them (tools/check_render.py, standard library only).
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null 2>&1; then
    echo "installing chromium"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq chromium >/dev/null
fi
chromium --version || true

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for kind in activations spiral relu-pair softmax-regions; do
    svg="$work/$kind.svg"
    png="$work/$kind.png"
    python3 -m nnref plot "$kind" --out "$svg" >/dev/null
    size=$(python3 -c 'import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
print("%s,%s" % (root.get("width"), root.get("height")))' "$svg")
    profile=$(mktemp -d -p "$work")
    # A fresh profile and no background traffic: the job needs no network.
    timeout 180 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --hide-scrollbars --force-device-scale-factor=1 --user-data-dir="$profile" \
        --window-size="$size" --screenshot="$png" "file://$svg" >"$work/$kind.log" 2>&1 || true
    if [ ! -s "$png" ]; then
        echo "FAILED: chromium wrote no PNG for $kind"
        tail -n 20 "$work/$kind.log" || true
        status=1
        continue
    fi
    if ! python3 tools/check_render.py "$svg" "$png"; then
        status=1
    fi
done
exit "$status"
