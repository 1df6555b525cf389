#!/usr/bin/env bash
# Regenerates media/icon.png (the 128×128 Marketplace icon, committed so nobody needs this tool)
# from the view icon media/gitlab-packages.svg: its strokes in white on a GitLab-orange tile.
# Needs Debian's librsvg2-bin (`apt-get install -y librsvg2-bin`) for rsvg-convert.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=$(sed -E 's/^<svg[^>]*>//; s#</svg>\s*$##' media/gitlab-packages.svg)
svg=$(cat <<SVG
<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <rect width="128" height="128" rx="24" fill="#E24329"/>
  <g transform="translate(16 16) scale(4)" fill="none" stroke="#FFFFFF" stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round">$paths</g>
</svg>
SVG
)
printf '%s\n' "$svg" | rsvg-convert --width 128 --height 128 --format png --output media/icon.png
echo "media/icon.png: $(stat -c %s media/icon.png) bytes"
