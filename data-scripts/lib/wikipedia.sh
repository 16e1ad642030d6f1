# shellcheck shell=bash
# Wikimedia dump helpers for the get-*-data.sh scripts (sourced after fetch.sh).
#
# A wiki's articles are <base>/<db>/<date>/<db>-<date>-pages-articles-multistream.xml.bz2, with
# its index <db>-<date>-pages-articles-multistream-index.txt.bz2 (prepare-data decompresses the
# dump in parallel when the index lies beside it) and the run's checksums <db>-<date>-sha1sums.txt
# ("<sha1>  <file name>" lines). <db> is the language code with '-' written '_', then "wiki"
# (zh-min-nan: zh_min_nanwiki; be-tarask is be_x_oldwiki). Wikimedia keeps the last few runs only; older ones are on the
# mirrors (https://meta.wikimedia.org/wiki/Mirroring_Wikimedia_project_XML_dumps): point
# DUMPS_BASE_URL at one.

DUMPS_BASE_URL=${DUMPS_BASE_URL:-https://dumps.wikimedia.org}

wiki_db() {
  local code=$1
  case $code in
    be-tarask) code=be-x-old ;; # the one wiki whose database kept its old code
  esac
  printf '%swiki\n' "${code//-/_}"
}

# The run date of DATE for DB: DATE itself, or for "latest" the run that latest/ points to, read
# from the RSS feed Wikimedia publishes beside each latest file.
resolve_dump_date() {
  local db=$1 date=$2 rss resolved
  if [[ $date != latest ]]; then
    [[ $date =~ ^[0-9]{8}$ ]] || die "--date $date: give a run date as YYYYMMDD (e.g. 20261101) or latest"
    printf '%s\n' "$date"
    return 0
  fi
  rss=$(curl -fsSL --retry 5 --connect-timeout 30 -- \
    "$DUMPS_BASE_URL/$db/latest/$db-latest-pages-articles-multistream.xml.bz2-rss.xml") \
    || die "$DUMPS_BASE_URL/$db/latest/: no latest pages-articles-multistream dump found; give --date YYYYMMDD of a finished run"
  resolved=$(grep -o "$db/[0-9]\{8\}" <<< "$rss" | head -n 1 || true)
  [[ -n $resolved ]] || die "$DUMPS_BASE_URL/$db/latest/: its RSS feed names no run date; give --date YYYYMMDD"
  printf '%s\n' "${resolved#"$db"/}"
}

# Sets WIKI_DUMP, WIKI_INDEX (local paths), WIKI_DUMP_SHA1, WIKI_INDEX_SHA1 and WIKI_URL (the
# run's folder) for language CODE's run DATE, downloading that run's sha1sums into DIR.
plan_wikipedia_dump() {
  local code=$1 date=$2 dir=$3 db run sums base
  db=$(wiki_db "$code")
  run=$(resolve_dump_date "$db" "$date")
  WIKI_URL=$DUMPS_BASE_URL/$db/$run
  base=$db-$run-pages-articles-multistream
  sums=$dir/$db-$run-sha1sums.txt
  fetch_small "$WIKI_URL/$db-$run-sha1sums.txt" "$sums"
  WIKI_DUMP=$dir/$base.xml.bz2
  WIKI_INDEX=$dir/$base-index.txt.bz2
  WIKI_DUMP_SHA1=$(sha1_in_sums "$sums" "$base.xml.bz2") \
    || die "$base.xml.bz2 is not in $db-$run-sha1sums.txt yet: that run is unfinished or failed; choose an earlier --date (see $DUMPS_BASE_URL/$db/)"
  WIKI_INDEX_SHA1=$(sha1_in_sums "$sums" "$base-index.txt.bz2") \
    || die "$base-index.txt.bz2 is not in $db-$run-sha1sums.txt yet: that run is unfinished or failed; choose an earlier --date (see $DUMPS_BASE_URL/$db/)"
}

# Bytes still to download for the planned dump and index (what is not yet complete on disk).
wikipedia_bytes_missing() {
  local total=0 file size
  for file in "$WIKI_DUMP" "$WIKI_INDEX"; do
    [[ -f $file ]] && continue
    size=$(remote_size "$WIKI_URL/$(basename "$file")")
    [[ -n $size ]] || size=0
    if [[ -f $file.part ]]; then size=$((size - $(file_size "$file.part"))); fi
    ((size > 0)) && total=$((total + size))
  done
  printf '%s\n' "$total"
}

fetch_wikipedia_dump() {
  fetch "$WIKI_URL/$(basename "$WIKI_INDEX")" "$WIKI_INDEX" sha1 "$WIKI_INDEX_SHA1"
  fetch "$WIKI_URL/$(basename "$WIKI_DUMP")" "$WIKI_DUMP" sha1 "$WIKI_DUMP_SHA1"
}
