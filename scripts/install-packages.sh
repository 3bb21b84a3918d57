#!/usr/bin/env bash
# Installs Debian packages that are missing. Arguments are COMMAND:PACKAGE pairs: the package is
# installed when the command is not found (in PATH or /usr/sbin). Services a package would start
# on install are kept from starting: tests and benchmarks start their own instances.
set -euo pipefail

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
for pair in "$@"; do
  cmd=${pair%%:*}
  pkg=${pair#*:}
  if ! command -v "$cmd" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$cmd" ]; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-packages: installing ${missing[*]} (apt)"
# policy-rc.d 101: do not start services from package scripts.
policy=/usr/sbin/policy-rc.d
created_policy=no
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
  as_root chmod +x "$policy"
  created_policy=yes
fi
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
[ "$created_policy" = yes ] && as_root rm -f "$policy"
exit 0
