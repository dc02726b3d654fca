#!/usr/bin/env bash
# third_party/apt-source.sh PACKAGE VERSION DESTDIR
#
# Fetches Debian's source package PACKAGE (exactly VERSION, the upstream
# version without the Debian revision, e.g. 1.2.3) and unpacks it as
# DESTDIR (which must not exist yet; the caller removes stale trees).
# Third-party sources are fetched by the build and never committed.
#
# `apt-get source` needs deb-src entries.  We derive them from this
# machine's own apt configuration: every `Types: deb` stanza of
# /etc/apt/sources.list.d/*.sources is copied as `Types: deb-src` into
# /etc/apt/sources.list.d/freebeam-src.sources (ours), and the same for
# one-line `deb ` entries of sources.list / *.list.  Idempotent: nothing
# is written and apt is not updated when the entries are already there.
set -euo pipefail

[ $# -eq 3 ] || { echo "usage: $0 PACKAGE VERSION DESTDIR" >&2; exit 2; }
pkg=$1 ver=$2 dest=$3
SRC_LIST=/etc/apt/sources.list.d/freebeam-src.sources
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo

# The deb822 stanzas with Types: deb, rewritten as deb-src.
derive_deb822() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -e "$f" ] || continue
    [ "$f" = "$SRC_LIST" ] && continue
    awk 'BEGIN { RS=""; ORS="\n\n" }
         /(^|\n)Types:[ \t]*deb([ \t]*\n|[ \t]*$)/ {
           sub(/(^|\n)Types:[ \t]*deb/, "&-src"); print }' "$f"
  done
}

# One-line entries ("deb [opts] URI suite comp...") as deb822 stanzas.
derive_oneline() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -e "$f" ] || continue
    awk '$1 == "deb" {
           i = 2; opts = ""
           if ($2 ~ /^\[/) { while ($i !~ /\]$/) { opts = opts " " $i; i++ } opts = opts " " $i; i++ }
           if (opts ~ /signed-by=/) { match(opts, /signed-by=[^] ]*/); sb = substr(opts, RSTART + 10, RLENGTH - 10) } else sb = ""
           printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents:", $i, $(i + 1)
           for (j = i + 2; j <= NF; j++) printf " %s", $j
           printf "\n"
           if (sb != "") printf "Signed-By: %s\n", sb
           printf "\n" }' "$f"
  done
}

have_src() {
  # Does apt already know the source package at this version?
  apt-cache showsrc "$pkg" 2>/dev/null | awk '/^Version:/ { print $2 }' | grep -q "^$ver-"
}

if ! have_src; then
  want=$(printf '# Derived from this machine'"'"'s own apt sources by freebeam'"'"'s\n# third_party/apt-source.sh: the same archives, as deb-src.\n\n%s%s' \
           "$(derive_deb822)" "$(derive_oneline)")
  if [ ! -e "$SRC_LIST" ] || [ "$(cat "$SRC_LIST")" != "$want" ]; then
    printf '%s\n' "$want" | $SUDO tee "$SRC_LIST" >/dev/null
  fi
  $SUDO apt-get update -qq
  have_src || { echo "$0: no source package $pkg $ver in the configured archives" >&2; exit 1; }
fi

full=$(apt-cache showsrc "$pkg" | awk '/^Version:/ { print $2 }' | grep "^$ver-" | sort -V | tail -n1)
[ ! -e "$dest" ] || { echo "$0: $dest already exists" >&2; exit 1; }
mkdir -p "$(dirname "$dest")"
work=$(mktemp -d "$(dirname "$dest")/.fetch-$pkg.XXXXXX")
trap 'rm -rf "$work"' EXIT
# As root, apt would drop to the _apt user to download, which may not be
# able to reach this folder: download as root then (quietly).
sandbox=(); [ "$(id -u)" -eq 0 ] && sandbox=(-o APT::Sandbox::User=root)
(cd "$work" && apt-get source -qq "${sandbox[@]}" --download-only "$pkg=$full" >/dev/null)
dsc=$(ls "$work"/*.dsc)
# Debian's patches (debian/patches, 3.0 quilt) are applied by dpkg-source -x.
dpkg-source --no-check -x "$dsc" "$work/tree" >/dev/null
mv "$work/tree" "$dest"
echo "fetched $pkg $full into $dest"
