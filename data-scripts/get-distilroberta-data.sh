#!/usr/bin/env bash
# DistilRoBERTa's corpus: OpenWebText (openwebtext.tar.xz, the 2019 release of Gokaslan and Cohen),
# downloaded with resume and prepared with RoBERTa's tokenizer (docs/data.md). A rerun skips a
# download that is complete (and verified, when a checksum is given) and a dataset that is
# already prepared.
#
# Usage: data-scripts/get-distilroberta-data.sh [options] [-- PREPARE_DATA_ARGS...]
#
#   --dir DIR          downloads go here (default: data/downloads)
#   --url URL          where openwebtext.tar.xz is (env OPENWEBTEXT_URL; default: the Zenodo
#                      record https://zenodo.org/records/3834942/files/openwebtext.tar.xz), or a
#                      local path to it
#   --sha256 HEX       check the archive against this (env OPENWEBTEXT_SHA256). The release
#                      publishes none, so by default the archive is NOT verified.
#   --tokenizer DIR    the teacher's folder (default: teachers/roberta-base)
#   --output DIR       the prepared dataset (default: data/openwebtext-roberta-base)
#   --config FILE      take tokenizer and output from a training config instead
#                      (e.g. configs/distilroberta.yaml)
#   --jar PATH         the distil-train jar (default: target/distil-train.jar)
#   --threads N        prepare-data threads (default: all cores)
#   --download-only    stop after downloading
#
# Environment: DISTIL_TRAIN (the command that runs the jar), DISTIL_SKIP_SPACE_CHECK=1 (go on
# when df says the disk is too small).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/fetch.sh
. "$ROOT/data-scripts/lib/fetch.sh"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

DIR=$ROOT/data/downloads
URL=${OPENWEBTEXT_URL:-https://zenodo.org/records/3834942/files/openwebtext.tar.xz}
SHA256=${OPENWEBTEXT_SHA256:-}
TOKENIZER=$ROOT/teachers/roberta-base
OUTPUT=$ROOT/data/openwebtext-roberta-base
CONFIG=
JAR=$ROOT/target/distil-train.jar
THREADS=$(nproc 2> /dev/null || echo 4)
DOWNLOAD_ONLY=0
PREPARE_EXTRA=()

while (($#)); do
  case $1 in
    --dir) need_value "$@"; DIR=$2; shift 2 ;;
    --url) need_value "$@"; URL=$2; shift 2 ;;
    --sha256) need_value "$@"; SHA256=$2; shift 2 ;;
    --tokenizer) need_value "$@"; TOKENIZER=$2; shift 2 ;;
    --output) need_value "$@"; OUTPUT=$2; shift 2 ;;
    --config) need_value "$@"; CONFIG=$2; shift 2 ;;
    --jar) need_value "$@"; JAR=$2; shift 2 ;;
    --threads) need_value "$@"; THREADS=$2; shift 2 ;;
    --download-only) DOWNLOAD_ONLY=1; shift ;;
    -h | --help) usage; exit 0 ;;
    --) shift; PREPARE_EXTRA=("$@"); break ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
require_tools curl sha256sum df

ALREADY_PREPARED=0
if ((DOWNLOAD_ONLY == 0)); then
  resolve_jar_command "$JAR"
  check_prepare_inputs || ALREADY_PREPARED=1
fi

if [[ $URL =~ ^[a-zA-Z][a-zA-Z0-9+.-]*:// ]]; then
  name=${URL%%[?#]*}
  ARCHIVE=$DIR/openwebtext/$(basename "$name")
  MISSING=0
  if [[ ! -f $ARCHIVE ]]; then
    MISSING=$(remote_size "$URL")
    [[ -n $MISSING ]] || MISSING=0
    [[ -f $ARCHIVE.part ]] && MISSING=$((MISSING - $(file_size "$ARCHIVE.part")))
  fi
  check_space "$DIR" "$MISSING" "OpenWebText"
  if [[ -n $SHA256 ]]; then
    fetch "$URL" "$ARCHIVE" sha256 "$SHA256"
  else
    warn "*** OpenWebText publishes no checksum: $(basename "$ARCHIVE") is NOT verified; pass --sha256 HEX if you have one ***"
    fetch "$URL" "$ARCHIVE"
  fi
else
  ARCHIVE=$URL
  [[ -f $ARCHIVE ]] || die "--url $ARCHIVE: no such file; give the URL or the path of openwebtext.tar.xz"
  if [[ -n $SHA256 ]]; then
    verify_sha256 "$ARCHIVE" "$SHA256" || die "$ARCHIVE does not match --sha256; check the copy"
  fi
fi

if ((DOWNLOAD_ONLY)); then
  info "downloaded; --download-only: not preparing"
  exit 0
fi
if ((ALREADY_PREPARED)); then
  info "already prepared: $OUTPUT (delete it to prepare again)"
  exit 0
fi
# OpenWebText is English (the release kept the pages fastText judged English): tag it so.
run_prepare --lang en "openwebtext:$ARCHIVE"
