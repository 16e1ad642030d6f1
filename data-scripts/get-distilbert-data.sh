#!/usr/bin/env bash
# DistilBERT's corpus: English Wikipedia (a Wikimedia dump) and BookCorpus, downloaded with resume,
# checked against the published checksums, and prepared with the teacher's tokenizer
# (docs/data.md). A rerun skips what is already downloaded and verified, and a dataset that is
# already prepared.
#
# Usage: data-scripts/get-distilbert-data.sh --bookcorpus PATH_OR_URL [options] [-- PREPARE_DATA_ARGS...]
#
#   --dir DIR               downloads go here (default: data/downloads)
#   --date YYYYMMDD|latest  the Wikipedia dump run (default: 20261101)
#   --bookcorpus SRC        BookCorpus: a folder or tar archive of .txt books, the Hugging Face
#                           copy (bookcorpus.tar.bz2, one sentence a line), or a URL of either
#                           (also env BOOKCORPUS). There is no official download.
#   --bookcorpus-sha256 HEX check a downloaded BookCorpus against this (env BOOKCORPUS_SHA256)
#   --bookcorpus-layout L   books (one document a book, paragraphs at blank lines), lines (one
#                           sequence a line) or auto (default: lines when the files are named
#                           books_large_p*.txt, as in the Hugging Face copy, else books)
#   --no-bookcorpus         English Wikipedia only
#   --tokenizer DIR         the teacher's folder (default: teachers/bert-base-uncased)
#   --output DIR            the prepared dataset (default: data/wikipedia-bookcorpus-bert-base-uncased)
#   --config FILE           take tokenizer and output from a training config instead
#                           (e.g. configs/distilbert-base-cased.yaml)
#   --jar PATH              the distil-train jar (default: target/distil-train.jar)
#   --threads N             prepare-data threads (default: all cores)
#   --download-only         stop after downloading and checking
#
# Environment: DUMPS_BASE_URL (a Wikimedia mirror; default https://dumps.wikimedia.org),
# DISTIL_TRAIN (the command that runs the jar, e.g. "java -Xmx8g -jar target/distil-train.jar"),
# DISTIL_SKIP_SPACE_CHECK=1 (go on when df says the disk is too small).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/fetch.sh
. "$ROOT/data-scripts/lib/fetch.sh"
# shellcheck source-path=SCRIPTDIR source=lib/wikipedia.sh
. "$ROOT/data-scripts/lib/wikipedia.sh"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

DIR=$ROOT/data/downloads
DATE=20261101
BOOKCORPUS=${BOOKCORPUS:-}
BOOKCORPUS_SHA256=${BOOKCORPUS_SHA256:-}
LAYOUT=auto
NO_BOOKCORPUS=0
TOKENIZER=$ROOT/teachers/bert-base-uncased
OUTPUT=$ROOT/data/wikipedia-bookcorpus-bert-base-uncased
CONFIG=
JAR=$ROOT/target/distil-train.jar
THREADS=$(nproc 2> /dev/null || echo 4)
DOWNLOAD_ONLY=0
PREPARE_EXTRA=()

while (($#)); do
  case $1 in
    --dir) need_value "$@"; DIR=$2; shift 2 ;;
    --date) need_value "$@"; DATE=$2; shift 2 ;;
    --bookcorpus) need_value "$@"; BOOKCORPUS=$2; shift 2 ;;
    --bookcorpus-sha256) need_value "$@"; BOOKCORPUS_SHA256=$2; shift 2 ;;
    --bookcorpus-layout) need_value "$@"; LAYOUT=$2; shift 2 ;;
    --no-bookcorpus) NO_BOOKCORPUS=1; shift ;;
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
case $LAYOUT in auto | books | lines) ;; *) die "--bookcorpus-layout $LAYOUT: one of auto, books, lines" ;; esac
if ((NO_BOOKCORPUS == 0)) && [[ -z $BOOKCORPUS ]]; then
  die "BookCorpus has no official download: pass --bookcorpus with a folder, archive or URL of a copy (docs/data.md says which), or --no-bookcorpus for Wikipedia alone"
fi
require_tools curl sha1sum sha256sum df tar

ALREADY_PREPARED=0
if ((DOWNLOAD_ONLY == 0)); then
  resolve_jar_command "$JAR"
  check_prepare_inputs || ALREADY_PREPARED=1
fi

# ---- plan: what is missing, and does it fit -------------------------------------------------
WIKI_DIR=$DIR/wikipedia
plan_wikipedia_dump en "$DATE" "$WIKI_DIR"
MISSING=$(wikipedia_bytes_missing)

BOOK_URL=
BOOK_PATH=
if ((NO_BOOKCORPUS == 0)); then
  if [[ $BOOKCORPUS =~ ^[a-zA-Z][a-zA-Z0-9+.-]*:// ]]; then
    BOOK_URL=$BOOKCORPUS
    name=${BOOK_URL%%[?#]*}
    BOOK_PATH=$DIR/bookcorpus/$(basename "$name")
    if [[ ! -f $BOOK_PATH ]]; then
      size=$(remote_size "$BOOK_URL")
      if [[ -n $size ]]; then
        [[ -f $BOOK_PATH.part ]] && size=$((size - $(file_size "$BOOK_PATH.part")))
        MISSING=$((MISSING + size))
      fi
    fi
  else
    [[ -e $BOOKCORPUS ]] || die "--bookcorpus $BOOKCORPUS: no such file or folder"
    BOOK_PATH=$BOOKCORPUS
  fi
fi
check_space "$DIR" "$MISSING" "English Wikipedia$( ((NO_BOOKCORPUS)) || echo " and BookCorpus")"

# ---- download and check ---------------------------------------------------------------------
fetch_wikipedia_dump
if [[ -n $BOOK_URL ]]; then
  if [[ -n $BOOKCORPUS_SHA256 ]]; then
    fetch "$BOOK_URL" "$BOOK_PATH" sha256 "$BOOKCORPUS_SHA256"
  else
    warn "*** BookCorpus has no published checksum: $(basename "$BOOK_PATH") is NOT verified; pass --bookcorpus-sha256 HEX if you have one ***"
    fetch "$BOOK_URL" "$BOOK_PATH"
  fi
elif [[ -n $BOOK_PATH && -n $BOOKCORPUS_SHA256 && -f $BOOK_PATH ]]; then
  verify_sha256 "$BOOK_PATH" "$BOOKCORPUS_SHA256" || die "$BOOK_PATH does not match --bookcorpus-sha256; check the copy"
fi
((NO_BOOKCORPUS)) && warn "*** --no-bookcorpus: the dataset is English Wikipedia only, not DistilBERT's corpus ***"
if ((DOWNLOAD_ONLY)); then
  info "downloaded and checked; --download-only: not preparing"
  exit 0
fi
if ((ALREADY_PREPARED)); then
  info "already prepared: $OUTPUT (delete it to prepare again)"
  exit 0
fi

# ---- BookCorpus as sources ------------------------------------------------------------------
SOURCES=("wikipedia:$WIKI_DUMP")
if [[ -n $BOOK_PATH ]]; then
  is_tar() { [[ ${1,,} =~ \.(tar|tgz|tbz2|txz|tar\.(gz|bz2|xz|zst))$ ]]; }
  if [[ $LAYOUT == auto ]]; then
    LAYOUT=books
    if [[ -d $BOOK_PATH ]]; then
      [[ -n $(find "$BOOK_PATH" -name 'books_large_p*.txt' -print -quit) ]] && LAYOUT=lines
    elif is_tar "$BOOK_PATH"; then
      members=$(tar -tf "$BOOK_PATH" 2> /dev/null | head -n 50 || true)
      grep -q 'books_large_p[^/]*\.txt$' <<< "$members" && LAYOUT=lines
    else
      LAYOUT=lines # a single text file: one sentence a line
    fi
    info "BookCorpus layout: $LAYOUT (--bookcorpus-layout to choose)"
  fi
  if [[ $LAYOUT == books ]]; then
    SOURCES+=("bookcorpus:$BOOK_PATH")
  else
    LINES_DIR=$BOOK_PATH
    if [[ -f $BOOK_PATH ]] && is_tar "$BOOK_PATH"; then
      # One sentence a line: text files for text: sources, unpacked once beside the download.
      LINES_DIR=$DIR/bookcorpus/$(basename "$BOOK_PATH").unpacked
      if [[ ! -f $LINES_DIR/.complete ]]; then
        info "unpacking $(basename "$BOOK_PATH") into $LINES_DIR"
        rm -rf -- "$LINES_DIR"
        mkdir -p "$LINES_DIR"
        tar -xf "$BOOK_PATH" -C "$LINES_DIR" || die "$BOOK_PATH: tar cannot unpack it; check the file"
        touch "$LINES_DIR/.complete"
      fi
    fi
    if [[ -d $LINES_DIR ]]; then
      mapfile -t TEXTS < <(find "$LINES_DIR" -type f -name '*.txt' | LC_ALL=C sort)
      ((${#TEXTS[@]})) || die "$BOOK_PATH holds no .txt file; give the BookCorpus copy"
      for text in "${TEXTS[@]}"; do SOURCES+=("text:$text"); done
    else
      SOURCES+=("text:$LINES_DIR")
    fi
  fi
fi

# Everything here is English: --lang en tags BookCorpus too (the dump names its own language).
run_prepare --lang en "${SOURCES[@]}"
