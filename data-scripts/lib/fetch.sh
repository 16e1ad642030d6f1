# shellcheck shell=bash
# Download helpers shared by the get-*-data.sh scripts (sourced, not run).
#
#   fetch URL DEST [sha1|sha256 HEX]   download URL to DEST with resume, verify, then rename
#   verify_sha1 FILE SUMSFILE          FILE against its line in a "sha1  name" list (Wikimedia's)
#   verify_sha256 FILE HEX             FILE against a SHA-256
#
# A download goes to DEST.part and is renamed to DEST only once it is complete and verified, so
# a file named DEST is always whole. An interrupted download resumes from DEST.part on the next
# run (curl -C -, http(s):// and file:// alike). A verified file gets a DEST.verified note
# (algorithm, digest, size, mtime): a rerun finds the file unchanged and skips both the download
# and the digest. Every problem ends in one "error:" line saying what to do, and exit code 2.
#
# Needs curl and sha1sum/sha256sum (coreutils). URLs may be file:// (tests, local mirrors).

# curl runs per file (each resuming where the last stopped), and curl's own retries of transient
# errors (timeouts, HTTP 429 and 5xx) within each run.
FETCH_ATTEMPTS=${FETCH_ATTEMPTS:-3}
FETCH_RETRIES=${FETCH_RETRIES:-5}

info() { printf '%s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 2
}
# For option parsing: "--dir" must be followed by a value (need_value "$@" with $1 the option).
need_value() { [[ $# -ge 2 && -n $2 ]] || die "$1 needs a value (see --help)"; }

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" > /dev/null 2>&1 || die "$tool is not installed; install it (e.g. apt-get install $tool) and run again"
  done
}

file_size() { stat -c %s "$1"; }
file_mtime() { stat -c %Y "$1"; }

# Bytes as "12.3 GB" (SI, as disk vendors and df -H count).
human_bytes() {
  awk -v b="$1" 'BEGIN { split("B KB MB GB TB PB", u, " "); i = 1; while (b >= 1000 && i < 6) { b /= 1000; i++ }
                        printf(i == 1 ? "%d %s\n" : "%.1f %s\n", b, u[i]) }'
}

# The digest of FILE with ALGO (sha1 or sha256), lowercase hex.
digest_of() {
  local algo=$1 file=$2 out
  out=$("${algo}sum" -- "$file") || die "$file: cannot read it to compute its $algo"
  printf '%s\n' "${out%% *}"
}

# 0 when FILE has the digest HEX; else prints why on stderr and returns 1.
hash_matches() {
  local file=$1 algo=$2 hex=${3,,} actual
  actual=$(digest_of "$algo" "$file")
  if [[ $actual == "$hex" ]]; then
    return 0
  fi
  info "$(basename "$file"): $algo is $actual, the published one is $hex"
  return 1
}

write_verified_note() {
  local file=$1 algo=$2 hex=${3,,}
  printf '%s %s %s %s\n' "$algo" "$hex" "$(file_size "$file")" "$(file_mtime "$file")" > "$file.verified"
}

# 0 when FILE is known verified (its note matches) or verifies now (the note is then written).
verified() {
  local file=$1 algo=$2 hex=${3,,} note
  if [[ -f $file.verified ]]; then
    note=$(< "$file.verified")
    if [[ $note == "$algo $hex $(file_size "$file") $(file_mtime "$file")" ]]; then
      return 0
    fi
  fi
  info "checking the $algo of $(basename "$file") ($(human_bytes "$(file_size "$file")"))"
  hash_matches "$file" "$algo" "$hex" || return 1
  write_verified_note "$file" "$algo" "$hex"
}

# The sha1 of NAME in a Wikimedia-style SUMSFILE ("<hex>  <name>" lines, "*name" accepted).
sha1_in_sums() {
  local sums=$1 name=$2 hex file
  while read -r hex file; do
    if [[ ${file#\*} == "$name" ]]; then
      printf '%s\n' "${hex,,}"
      return 0
    fi
  done < "$sums"
  return 1
}

verify_sha1() {
  local file=$1 sums=$2 hex
  hex=$(sha1_in_sums "$sums" "$(basename "$file")") \
    || die "$(basename "$file") is not listed in $sums; that dump may be unfinished: choose an earlier date"
  verified "$file" sha1 "$hex"
}

verify_sha256() {
  verified "$1" sha256 "$2"
}

# The size the server announces for URL (Content-Length after redirects), or nothing.
remote_size() {
  curl -fsSLI --retry 3 --connect-timeout 30 -- "$1" 2> /dev/null \
    | tr -d '\r' | awk 'tolower($1) == "content-length:" { n = $2 } END { if (n != "") print n }' || true
}

# Fails with a clear line unless DIR's filesystem has NEED bytes free (DISTIL_SKIP_SPACE_CHECK=1
# turns the failure into a warning).
check_space() {
  local dir=$1 need=$2 what=$3 free
  mkdir -p "$dir"
  free=$(df -Pk -- "$dir" | awk 'NR == 2 { printf "%.0f\n", $4 * 1024 }')
  info "$what: $(human_bytes "$need") still to download; $(human_bytes "$free") free in $dir"
  if ((need > free)); then
    if [[ ${DISTIL_SKIP_SPACE_CHECK:-0} == 1 ]]; then
      warn "not enough free space in $dir; going on because DISTIL_SKIP_SPACE_CHECK=1"
    else
      die "not enough free space in $dir for $what ($(human_bytes "$need") needed, $(human_bytes "$free") free); free some, choose another --dir, or set DISTIL_SKIP_SPACE_CHECK=1 to try anyway"
    fi
  fi
}

# fetch URL DEST [ALGO HEX]: DEST complete and (when ALGO is sha1 or sha256) verified, or exit 2.
fetch() {
  local url=$1 dest=$2 algo=${3:-none} hex=${4:-}
  local part=$dest.part name rc code attempt=0 fresh_tries=0 size
  name=$(basename "$dest")
  mkdir -p "$(dirname "$dest")"
  if [[ -f $dest ]]; then
    if [[ $algo == none ]]; then
      info "have $name (no published checksum to check it against)"
      return 0
    fi
    if verified "$dest" "$algo" "$hex"; then
      info "have $name ($algo verified)"
      return 0
    fi
    warn "$name does not match its published $algo; deleting it and downloading it again"
    rm -f -- "$dest" "$dest.verified"
  fi
  local progress=(-sS)
  if [[ -t 2 ]]; then progress=(--progress-bar); fi
  while :; do
    attempt=$((attempt + 1))
    if [[ -s $part ]]; then
      info "resuming $name from byte $(file_size "$part") ($url)"
    else
      info "downloading $name ($url)"
    fi
    rc=0
    code=$(curl -fL --retry "$FETCH_RETRIES" --retry-delay 10 --connect-timeout 30 "${progress[@]}" -C - \
      -o "$part" -w '%{http_code}' -- "$url") || rc=$?
    code=${code: -3} # the last transfer's, after retries
    if ((rc == 0)); then
      break
    fi
    if ((rc == 33)) && ((fresh_tries == 0)); then
      # The server ignores ranges: the partial file cannot be continued.
      warn "the server of $url cannot resume a download; starting $name again from byte 0"
      rm -f -- "$part"
      fresh_tries=1
      continue
    fi
    if ((rc == 36)) || [[ $code == 416 ]]; then
      # The partial file is as long as the remote one or longer: complete, or from another file.
      size=$(remote_size "$url")
      if [[ -n $size && -f $part && $(file_size "$part") == "$size" ]]; then
        break
      fi
      if ((fresh_tries == 0)); then
        warn "$part is as long as $url or longer, and not it; starting it again from byte 0"
        rm -f -- "$part"
        fresh_tries=1
        continue
      fi
    fi
    if ((rc == 37 || rc == 78)) || [[ $rc == 22 && $code =~ ^(401|403|404|410)$ ]]; then
      [[ -s $part ]] || rm -f -- "$part"
      die "$url: not found (curl exit $rc, HTTP ${code:-none}); check the URL, the date or the base URL override"
    fi
    if ((attempt >= FETCH_ATTEMPTS)); then
      die "downloading $url stopped (curl exit $rc) after $attempt attempts; run the same command again to resume from $part"
    fi
    warn "curl exit $rc on $name; trying again from byte $(file_size "$part" 2> /dev/null || echo 0)"
  done
  if [[ $algo == none ]]; then
    # Without a checksum, the size the server announces is the one check there is.
    size=$(remote_size "$url")
    if [[ -n $size && $(file_size "$part") != "$size" ]]; then
      die "$name: got $(file_size "$part") bytes where $url has $size; run the same command again to resume from $part"
    fi
  else
    info "checking the $algo of $name"
    if ! hash_matches "$part" "$algo" "$hex"; then
      rm -f -- "$part"
      die "$name does not match its published $algo: the download is damaged or the mirror serves another file; it was deleted, so run again to download it anew (if it fails again, check the date and the mirror)"
    fi
  fi
  mv -f -- "$part" "$dest"
  if [[ $algo != none ]]; then
    write_verified_note "$dest" "$algo" "$hex"
  fi
  info "got $name"
}

# fetch_small URL DEST: a small file downloaded again on every run (a checksum list or a listing
# that can change), replaced atomically.
fetch_small() {
  local url=$1 dest=$2 rc=0
  mkdir -p "$(dirname "$dest")"
  curl -fsSL --retry 5 --retry-delay 5 --connect-timeout 30 -o "$dest.part" -- "$url" || rc=$?
  if ((rc != 0)); then
    rm -f -- "$dest.part"
    die "$url: cannot download it (curl exit $rc); check the URL, the date or the base URL override"
  fi
  mv -f -- "$dest.part" "$dest"
}

# The command that runs the jar, as an array in DISTIL_CMD: $DISTIL_TRAIN split on spaces (tests
# substitute a stub), else java -jar JAR.
# shellcheck disable=SC2034 # DISTIL_CMD is for the scripts that source this file
resolve_jar_command() {
  local jar=$1
  if [[ -n ${DISTIL_TRAIN:-} ]]; then
    read -r -a DISTIL_CMD <<< "$DISTIL_TRAIN"
  else
    [[ -f $jar ]] || die "$jar: no such jar; build it with 'mvn -q -B package -DskipTests', or pass --jar PATH"
    require_tools java
    DISTIL_CMD=(java -jar "$jar")
  fi
}

# Checks what prepare-data needs before anything is downloaded: the tokenizer folder (unless a
# config names it) and an output folder that does not hold a dataset yet. Returns 1 when OUTPUT
# is already prepared. Uses CONFIG, TOKENIZER, OUTPUT.
check_prepare_inputs() {
  if [[ -n ${CONFIG:-} ]]; then
    [[ -f $CONFIG ]] || die "--config $CONFIG: no such file"
    return 0
  fi
  [[ -d $TOKENIZER ]] || die "$TOKENIZER: no tokenizer folder; download the teacher first (its config's comments say how), or pass --tokenizer DIR"
  if [[ -f $OUTPUT/manifest.json ]]; then
    return 1
  fi
  if [[ -e $OUTPUT ]] && [[ -n $(ls -A -- "$OUTPUT" 2> /dev/null) ]]; then
    die "$OUTPUT exists and is not a prepared dataset; choose another --output or empty it"
  fi
}

# Runs prepare-data on SOURCES with CONFIG or TOKENIZER/OUTPUT, THREADS and PREPARE_EXTRA (the
# arguments given after --).
run_prepare() {
  local args=(prepare-data)
  if [[ -n ${CONFIG:-} ]]; then
    args+=(--config "$CONFIG")
  else
    args+=(--tokenizer "$TOKENIZER" --output "$OUTPUT")
  fi
  args+=(--threads "$THREADS" "${PREPARE_EXTRA[@]}" "$@")
  info "preparing: ${DISTIL_CMD[*]} ${args[*]}"
  "${DISTIL_CMD[@]}" "${args[@]}"
}
