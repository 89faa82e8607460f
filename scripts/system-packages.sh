#!/usr/bin/env bash
# The Debian packages `make up` and `make test` run on: installed when missing and run as
# root (a fresh machine needs nothing but this repository, Python and make); otherwise the
# missing ones are named and the command stops.
set -euo pipefail

missing=()
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)   # Kafka
command -v mvn >/dev/null || missing+=(maven)                      # Kafka's jars
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v node >/dev/null || missing+=(nodejs npm)                # the gateway, the web app
# The web app's browser tests drive Debian's Chromium (no browser build is downloaded).
command -v chromium >/dev/null || missing+=(chromium)
# promtool checks and unit-tests the alerting rules in deploy/observability.
command -v promtool >/dev/null || missing+=(prometheus)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${missing[*]}" >&2
  echo "install them (sudo apt-get install ${missing[*]}) or run make as root" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
