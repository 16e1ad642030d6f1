#!/usr/bin/env bash
# DistilmBERT's corpus: Wikipedia in the 104 languages of multilingual BERT, as Wikimedia dumps
# (default) or as the wikimedia/wikipedia Parquet files of the Hugging Face Hub (--parquet),
# downloaded with resume, checked against the published checksums (the dumps' sha1sums, the
# Hub's SHA-256 of each file), and prepared with the teacher's tokenizer (docs/data.md). A rerun
# skips what is already downloaded and verified, and a dataset that is already prepared.
#
# Usage: data-scripts/get-distilmbert-data.sh [options] [-- PREPARE_DATA_ARGS...]
#
#   --dir DIR               downloads go here (default: data/downloads)
#   --languages FILE        Wikipedia codes, one a line (default: configs/mbert-104-languages.txt;
#                           zh-hans and zh-hant are both the one Chinese Wikipedia, zh)
#   --date YYYYMMDD|latest  the dump run (default: 20261101)
#   --parquet               the Hub's wikimedia/wikipedia Parquet files instead of the dumps
#   --snapshot NAME         their snapshot (default: 20231101, folders 20231101.<code>)
#   --revision REV          the Hub revision, a branch or a commit (default: main; a commit
#                           makes the download reproducible)
#   --tokenizer DIR         the teacher's folder (default: teachers/bert-base-multilingual-cased)
#   --output DIR            the prepared dataset (default: data/wikipedia-104-bert-base-multilingual-cased)
#   --config FILE           take tokenizer and output from a training config instead
#                           (e.g. configs/distilmbert.yaml)
#   --jar PATH              the distil-train jar (default: target/distil-train.jar)
#   --threads N             prepare-data threads (default: all cores)
#   --download-only         stop after downloading and checking
#
# Environment: DUMPS_BASE_URL (a Wikimedia mirror; default https://dumps.wikimedia.org),
# HF_ENDPOINT (a Hub mirror; default https://huggingface.co), HF_TOKEN (sent with the file lists when
# set), DISTIL_TRAIN (the command that runs the jar), DISTIL_SKIP_SPACE_CHECK=1 (go on when df
# says the disk is too small).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib/fetch.sh
. "$ROOT/data-scripts/lib/fetch.sh"
# shellcheck source-path=SCRIPTDIR source=lib/wikipedia.sh
. "$ROOT/data-scripts/lib/wikipedia.sh"

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

DIR=$ROOT/data/downloads
LANGUAGES=$ROOT/configs/mbert-104-languages.txt
DATE=20261101
PARQUET=0
SNAPSHOT=20231101
REVISION=main
HF_ENDPOINT=${HF_ENDPOINT:-https://huggingface.co}
TOKENIZER=$ROOT/teachers/bert-base-multilingual-cased
OUTPUT=$ROOT/data/wikipedia-104-bert-base-multilingual-cased
CONFIG=
JAR=$ROOT/target/distil-train.jar
THREADS=$(nproc 2> /dev/null || echo 4)
DOWNLOAD_ONLY=0
PREPARE_EXTRA=()

while (($#)); do
  case $1 in
    --dir) need_value "$@"; DIR=$2; shift 2 ;;
    --languages) need_value "$@"; LANGUAGES=$2; shift 2 ;;
    --date) need_value "$@"; DATE=$2; shift 2 ;;
    --parquet) PARQUET=1; shift ;;
    --snapshot) need_value "$@"; SNAPSHOT=$2; shift 2 ;;
    --revision) need_value "$@"; REVISION=$2; shift 2 ;;
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
require_tools curl sha1sum sha256sum df

# ---- the languages: one wiki per code, the two Chinese scripts being one wiki ---------------
[[ -f $LANGUAGES ]] || die "--languages $LANGUAGES: no such file"
WIKIS=()
declare -A SEEN=()
codes=0
while read -r code _; do
  [[ -z $code || $code == \#* ]] && continue
  codes=$((codes + 1))
  case $code in zh-hans | zh-hant) code=zh ;; esac
  [[ $code =~ ^[a-z][a-z0-9-]*$ ]] || die "$LANGUAGES: '$code' is not a Wikipedia code (lowercase letters, digits, '-')"
  [[ -n ${SEEN[$code]:-} ]] && continue
  SEEN[$code]=1
  WIKIS+=("$code")
done < "$LANGUAGES"
((${#WIKIS[@]})) || die "$LANGUAGES lists no language"
info "$codes languages in $LANGUAGES: ${#WIKIS[@]} Wikipedias (zh-hans and zh-hant are both zh)"

ALREADY_PREPARED=0
if ((DOWNLOAD_ONLY == 0)); then
  resolve_jar_command "$JAR"
  check_prepare_inputs || ALREADY_PREPARED=1
  if ((PARQUET)) && ! "${DISTIL_CMD[@]}" prepare-data --help 2>&1 | grep -q 'parquet:'; then
    die "this jar's prepare-data reads no parquet: sources yet; use a jar that does, prepare from the dumps (leave out --parquet), or add --download-only"
  fi
fi

SOURCES=()
if ((PARQUET == 0)); then
  # ---- Wikimedia dumps ----------------------------------------------------------------------
  WIKI_DIR=$DIR/wikipedia
  PLANNED=()
  MISSING=0
  for code in "${WIKIS[@]}"; do
    plan_wikipedia_dump "$code" "$DATE" "$WIKI_DIR"
    PLANNED+=("$WIKI_URL|$WIKI_DUMP|$WIKI_DUMP_SHA1|$WIKI_INDEX|$WIKI_INDEX_SHA1")
    MISSING=$((MISSING + $(wikipedia_bytes_missing)))
  done
  check_space "$DIR" "$MISSING" "${#WIKIS[@]} Wikipedia dumps"
  for plan in "${PLANNED[@]}"; do
    IFS='|' read -r WIKI_URL WIKI_DUMP WIKI_DUMP_SHA1 WIKI_INDEX WIKI_INDEX_SHA1 <<< "$plan"
    fetch_wikipedia_dump
    # A dump says its language in its siteinfo (zhwiki: zh), so no --lang is needed.
    SOURCES+=("wikipedia:$WIKI_DUMP")
  done
else
  # ---- wikimedia/wikipedia Parquet on the Hub -------------------------------------------------
  command -v python3 > /dev/null 2>&1 || command -v jq > /dev/null 2>&1 \
    || die "reading the Hub's file lists needs python3 or jq; install one and run again"
  HUB_DIR=$DIR/wikimedia-wikipedia
  AUTH=()
  if [[ -n ${HF_TOKEN:-} ]]; then AUTH=(-H "Authorization: Bearer $HF_TOKEN"); fi

  # "path<TAB>size<TAB>sha256" for each Parquet file of a tree listing (the Hub API's JSON list
  # of {type, path, size, lfs: {oid (the SHA-256), size}}).
  parquet_files() {
    if command -v python3 > /dev/null 2>&1; then
      python3 -c '
import json, sys
for e in json.load(open(sys.argv[1])):
    if e.get("type") == "file" and e["path"].endswith(".parquet"):
        lfs = e.get("lfs") or {}
        print("%s\t%d\t%s" % (e["path"], lfs.get("size", e.get("size", 0)), lfs.get("oid") or lfs.get("sha256") or ""))
' "$1"
    else
      jq -r '.[] | select(.type == "file" and (.path | endswith(".parquet")))
             | [.path, (.lfs.size // .size // 0), (.lfs.oid // .lfs.sha256 // "")] | @tsv' "$1"
    fi
  }

  # The prepare-data source of one language's files. The Parquet files have no language column
  # (the language is the folder name <snapshot>.<code>), and prepare-data's --lang applies to
  # every source of the call, so none is passed: the language comes from the reader.
  parquet_source() { printf 'parquet:%s\n' "$HUB_DIR/$SNAPSHOT.$1/*.parquet"; }

  PLANNED=()
  MISSING=0
  for code in "${WIKIS[@]}"; do
    listing=$HUB_DIR/listings/$SNAPSHOT.$code.json
    mkdir -p "$HUB_DIR/listings"
    url=$HF_ENDPOINT/api/datasets/wikimedia/wikipedia/tree/$REVISION/$SNAPSHOT.$code
    rc=0
    http=$(curl -sSL --retry 5 --connect-timeout 30 "${AUTH[@]}" -o "$listing.part" -w '%{http_code}' -- "$url") || rc=$?
    if ((rc != 0)) || [[ $http != 200 && $url != file://* ]]; then
      rm -f -- "$listing.part"
      [[ $http == 404 || $rc == 37 ]] && die "wikimedia/wikipedia has no $SNAPSHOT.$code at $REVISION ($url); remove $code from $LANGUAGES or use the dumps"
      die "$url: cannot list the files (curl exit $rc, HTTP ${http:-none}); check the network, HF_ENDPOINT or --revision"
    fi
    mv -f -- "$listing.part" "$listing"
    n=0
    while IFS=$'\t' read -r path size sha; do
      [[ $sha =~ ^[0-9a-f]{64}$ ]] || die "$url: no SHA-256 for $path in the listing; cannot verify it"
      [[ $path == "$SNAPSHOT.$code/"* && $path != *..* ]] || die "$url: unexpected path $path in the listing"
      PLANNED+=("$HF_ENDPOINT/datasets/wikimedia/wikipedia/resolve/$REVISION/$path|$HUB_DIR/$path|$sha")
      if [[ ! -f $HUB_DIR/$path ]]; then
        [[ -f $HUB_DIR/$path.part ]] && size=$((size - $(file_size "$HUB_DIR/$path.part")))
        MISSING=$((MISSING + size))
      fi
      n=$((n + 1))
    done < <(parquet_files "$listing")
    ((n)) || die "$url lists no Parquet file for $code"
    SOURCES+=("$(parquet_source "$code")")
  done
  check_space "$DIR" "$MISSING" "${#WIKIS[@]} Wikipedias as Parquet"
  for plan in "${PLANNED[@]}"; do
    IFS='|' read -r url dest sha <<< "$plan"
    fetch "$url" "$dest" sha256 "$sha"
  done
fi

if ((DOWNLOAD_ONLY)); then
  info "downloaded and checked; --download-only: not preparing"
  exit 0
fi
if ((ALREADY_PREPARED)); then
  info "already prepared: $OUTPUT (delete it to prepare again)"
  exit 0
fi
run_prepare "${SOURCES[@]}"
if ((PARQUET)) && [[ -z $CONFIG && -f $OUTPUT/manifest.json ]] && ! grep -q '"languages"' "$OUTPUT/manifest.json"; then
  warn "*** $OUTPUT has no per-language counts: this jar's parquet: reader did not tag the documents with the language of their $SNAPSHOT.<code> folder, which DistilmBERT's language sampling needs; prepare from the dumps instead (docs/data.md, Open points) ***"
fi
