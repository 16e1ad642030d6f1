#!/usr/bin/env python3
"""Checks that distil-train and huggingface_hub read each other's Hugging Face cache.

A fake Hub (FakeHub, from the test classes) serves a small model and a small dataset. Then:

  A. huggingface_hub's snapshot_download fills cache A; distil-train, offline
     (HF_HUB_OFFLINE=1), must find the snapshot there;
  B. distil-train downloads online into cache B; huggingface_hub, with
     local_files_only=True, must find every file there, byte-identical, and
     scan_cache_dir() must report the repo without warnings;

for the model (org/tiny) and for the dataset (datasets/org/data, --include '*.parquet').
Before that, huggingface_hub checks the fake itself: a gated repo, an unknown token, a missing
repo, revision and file must raise the errors they raise against huggingface.co, and the paged
tree listing must list every file.
Every snapshot is compared byte for byte with the files served, and the blobs' names with
the Hub's etags (git sha1 of a regular file, sha256 of an LFS one).

How to run (from the repository root; needs Java 17 and Python 3 with huggingface_hub):

    mvn -q -B -o test-compile                  # FakeHub's classes, target/test-classes
    mvn -q -B -o package -DskipTests           # target/distil-train.jar
    python3 data-scripts/check-hf-cache.py     # prints a report; exit 0 when all agree

    python3 data-scripts/check-hf-cache.py --skip-jar   # only huggingface_hub against FakeHub
    python3 data-scripts/check-hf-cache.py --keep --work /tmp/cachecheck   # keep the caches

The distil-train side is `java -jar JAR download ID [--revision R] [--include PATTERN]...`,
configured by HF_ENDPOINT, HF_HUB_CACHE, HF_HUB_OFFLINE; its last stdout line must be
`snapshot: <path>`. The user's HF_TOKEN is removed from every environment used here (the fake
hub would answer 401 to a real one); the online runs get a token the fake knows instead, and
the check fails if that token is sent to the CDN.

Exit status: 0 all checks passed, 1 a check failed, 2 usage or setup problem.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

MODEL = "org/tiny"
DATASET = "org/data"
GATED = "org/gated"  # the same files, gated: only TOKEN may download them
TOKEN = "hf_checkhfcache"  # the one token the fake hub knows; given to distil-train's online runs


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                epilog="See the module docstring (head of this file) for how to run it.")
    p.add_argument("--classes", default="target/test-classes", help="FakeHub's compiled test classes")
    p.add_argument("--jar", default="target/distil-train.jar", help="the distil-train jar")
    p.add_argument("--java", default=os.environ.get("JAVA", "java"), help="java executable")
    p.add_argument("--work", help="folder for the fixtures and caches (default: a temporary one)")
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    p.add_argument("--skip-jar", action="store_true", help="run only the huggingface_hub parts")
    p.add_argument("--timeout", type=float, default=300, help="seconds allowed per jar run")
    return p.parse_args()


def write_fixtures(root: Path):
    """A tiny model and dataset; the rng is seeded so that two runs serve the same bytes."""
    rng = random.Random(20240101)
    model = root / "served" / "tiny"
    model.mkdir(parents=True)
    (model / "config.json").write_text('{"model_type": "bert", "hidden_size": 8, "vocab_size": 5}\n')
    (model / "vocab.txt").write_text("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n")
    (model / "tokenizer.json").write_text('{"version": "1.0", "model": {"type": "WordPiece", "vocab": '
                                          '{"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4}}}\n')
    (model / "model.safetensors").write_bytes(bytes(rng.getrandbits(8) for _ in range(200_000)))
    data = root / "served" / "data"
    (data / "data").mkdir(parents=True)
    (data / "README.md").write_text("# data\n")  # not a parquet: --include '*.parquet' leaves it
    (data / "data" / "train-00000-of-00001.parquet").write_bytes(bytes(rng.getrandbits(8) for _ in range(50_000)))
    (data / "data" / "test-00000-of-00001.parquet").write_bytes(bytes(rng.getrandbits(8) for _ in range(20_000)))
    return model, data


class Hub:
    """FakeHub as a child process; its stderr (one line per request) goes to a log file."""

    def __init__(self, java, classes, model_dir, data_dir, log: Path):
        # Small pages: clients must follow Link. --resolve-cache: as huggingface.co, regular files
        # answer 307 to a commit-pinned URL that the client must follow.
        cmd = [java, "-cp", classes, "io.distiltrain.hub.FakeHub", "--model", f"{MODEL}={model_dir}",
               "--dataset", f"{DATASET}={data_dir}", "--model", f"{GATED}={model_dir}", "--gated", GATED,
               "--page", "2", "--token", TOKEN, "--resolve-cache"]
        self.log = log
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=open(log, "w"), text=True)
        line = []
        reader = threading.Thread(target=lambda: line.append(self.proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(30)
        if not line or not line[0].startswith("http"):
            self.close()
            setup_error(f"FakeHub did not start: {' '.join(cmd)}\n{log.read_text()}")
        self.endpoint = line[0].strip()

    def requests(self):
        return self.log.read_text().splitlines()

    def close(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


class Report:
    def __init__(self):
        self.failures = 0

    def check(self, name, ok, detail=""):
        self.failures += 0 if ok else 1
        print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f": {detail}" if detail and not ok else ""))
        return ok

    def skip(self, name, why):
        print(f"SKIP  {name}: {why}")


def served_files(folder: Path, patterns=None):
    """Relative path -> bytes of every file under folder (matching one of patterns, if given)."""
    from huggingface_hub.utils import filter_repo_objects
    files = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    keep = set(filter_repo_objects(files, allow_patterns=patterns)) if patterns else set(files)
    return {rel: files[rel].read_bytes() for rel in keep}


def compare(snapshot: Path, expected: dict):
    """'' when the snapshot holds exactly the expected files, byte for byte; else what differs."""
    got = {p.relative_to(snapshot).as_posix() for p in snapshot.rglob("*") if p.is_file()}
    problems = [f"missing {rel}" for rel in sorted(set(expected) - got)]
    problems += [f"unexpected {rel}" for rel in sorted(got - set(expected))]
    problems += [f"differs {rel}" for rel in sorted(set(expected) & got)
                 if (snapshot / rel).read_bytes() != expected[rel]]
    return "; ".join(problems)


def check_blobs(report, name, cache: Path, repo_id, repo_type, api):
    """The blobs are named by the Hub's etags and refs/main holds the commit the Hub reports."""
    folder = cache / f"{repo_type}s--{repo_id.replace('/', '--')}"
    info = api.repo_info(repo_id, repo_type=repo_type)
    ref = folder / "refs" / "main"
    report.check(f"{name}: refs/main is the served commit", ref.is_file() and ref.read_text().strip() == info.sha,
                 ref.read_text().strip() if ref.is_file() else "no refs/main")
    etags = {f.path: (f.lfs.sha256 if f.lfs else f.blob_id)
             for f in api.list_repo_tree(repo_id, repo_type=repo_type, recursive=True) if hasattr(f, "blob_id")}
    snapshot = folder / "snapshots" / info.sha
    wrong = [] if snapshot.is_dir() else [f"no snapshot folder {snapshot}"]
    for p in snapshot.rglob("*"):
        rel = p.relative_to(snapshot).as_posix()
        if p.is_file() and rel in etags:
            blob = folder / "blobs" / etags[rel]
            if not blob.is_file() or blob.read_bytes() != p.read_bytes():
                wrong.append(f"{rel} (no blob {etags[rel][:12]}...)")
    report.check(f"{name}: blobs are named by the Hub's etags", not wrong, "; ".join(wrong))


def run_jar(args, env_extra, repo_arg, includes):
    env = {k: v for k, v in os.environ.items() if k not in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE")}
    env.update(env_extra)
    cmd = [args.java, "-jar", args.jar, "download", repo_arg]
    for pattern in includes:
        cmd += ["--include", pattern]
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {args.timeout}s: {' '.join(cmd)}"
    lines = proc.stdout.strip().splitlines()
    last = lines[-1] if lines else ""
    if proc.returncode != 0 or not last.startswith("snapshot: "):
        return None, f"exit {proc.returncode}, last line {last!r}; stderr: {proc.stderr.strip()[-500:]}"
    return Path(last[len("snapshot: "):].strip()), ""


def direction_a(args, report, hub, work, hf, name, repo_id, repo_type, repo_arg, patterns, expected):
    cache = work / f"cache-a-{repo_type}"
    snap = Path(hf.snapshot_download(repo_id, repo_type=repo_type, allow_patterns=patterns, cache_dir=cache,
                                     token=False))
    report.check(f"A {name}: huggingface_hub snapshot_download matches the served files",
                 not compare(snap, expected), compare(snap, expected))
    check_blobs(report, f"A {name}", cache, repo_id, repo_type, hf.HfApi(endpoint=hub.endpoint, token=False))
    if args.skip_jar:
        report.skip(f"A {name}: distil-train offline over cache A", "--skip-jar")
        return
    before = len(hub.requests())
    path, err = run_jar(args, {"HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": str(cache), "HF_ENDPOINT": hub.endpoint},
                        repo_arg, patterns or [])
    if report.check(f"A {name}: distil-train download offline succeeds", path is not None, err):
        report.check(f"A {name}: distil-train's snapshot is huggingface_hub's", path.resolve() == snap.resolve(),
                     f"{path} vs {snap}")
        report.check(f"A {name}: distil-train's snapshot matches the served files", not compare(path, expected),
                     compare(path, expected))
    report.check(f"A {name}: offline, no request reached the hub", len(hub.requests()) == before,
                 "; ".join(hub.requests()[before:][:3]))


def direction_b(args, report, hub, work, hf, name, repo_id, repo_type, repo_arg, patterns, expected):
    if args.skip_jar:
        report.skip(f"B {name}: distil-train online, then huggingface_hub offline", "--skip-jar")
        return
    cache = work / f"cache-b-{repo_type}"
    before = len(hub.requests())
    # With a token, so that a client leaking it to the CDN is caught.
    path, err = run_jar(args, {"HF_HUB_CACHE": str(cache), "HF_ENDPOINT": hub.endpoint, "HF_TOKEN": TOKEN},
                        repo_arg, patterns or [])
    if not report.check(f"B {name}: distil-train download online succeeds", path is not None, err):
        return
    leaked = [r for r in hub.requests()[before:] if r.startswith("cdn ") and "auth=true" in r]
    report.check(f"B {name}: no Authorization header went to the CDN", not leaked, "; ".join(leaked[:2]))
    report.check(f"B {name}: distil-train's snapshot matches the served files", not compare(path, expected),
                 compare(path, expected))
    try:
        snap = Path(hf.snapshot_download(repo_id, repo_type=repo_type, allow_patterns=patterns, cache_dir=cache,
                                         local_files_only=True))
        report.check(f"B {name}: huggingface_hub local_files_only finds every file, byte-identical",
                     not compare(snap, expected), compare(snap, expected))
    except Exception as e:  # noqa: BLE001 - any failure is the finding
        report.check(f"B {name}: huggingface_hub local_files_only finds the snapshot", False, f"{type(e).__name__}: {e}")
    try:
        scan = hf.scan_cache_dir(cache)
        repos = [r for r in scan.repos if r.repo_id == repo_id and r.repo_type == repo_type]
        report.check(f"B {name}: scan_cache_dir reports the repo without warnings",
                     len(repos) == 1 and not scan.warnings,
                     f"repos {[r.repo_id for r in scan.repos]}, warnings {[str(w) for w in scan.warnings]}")
    except Exception as e:  # noqa: BLE001 - e.g. CacheNotFound: the finding
        report.check(f"B {name}: scan_cache_dir reads the cache", False, f"{type(e).__name__}: {e}")
    check_blobs(report, f"B {name}", cache, repo_id, repo_type, hf.HfApi(endpoint=hub.endpoint, token=False))


def hub_answers_as_huggingface_co(report, hub, work, hf, model_dir):
    """The fake first: huggingface_hub must get from it the errors and listings the real Hub gives."""
    from huggingface_hub import errors
    cache = work / "cache-errors"

    def raises(name, error, call):
        try:
            call()
        except error:
            return report.check(name, True)
        except Exception as e:  # noqa: BLE001 - a wrong error is the finding
            return report.check(name, False, f"{type(e).__name__}: {str(e).splitlines()[0]}")
        return report.check(name, False, "no error")

    def get(repo_id, token=False, revision=None):
        return hf.hf_hub_download(repo_id, "config.json", revision=revision, cache_dir=cache, token=token)

    raises("hub: gated repo without token is GatedRepoError", errors.GatedRepoError, lambda: get(GATED))
    report.check("hub: gated repo with an authorized token downloads",
                 Path(get(GATED, token=TOKEN)).read_bytes() == (model_dir / "config.json").read_bytes())
    raises("hub: unknown token is an HTTP 401, not a missing repo", errors.HfHubHTTPError,
           lambda: get(MODEL, token="hf_unknown"))
    raises("hub: missing repo is RepositoryNotFoundError", errors.RepositoryNotFoundError, lambda: get("org/missing"))
    raises("hub: missing repo with a token is RepositoryNotFoundError", errors.RepositoryNotFoundError,
           lambda: get("org/missing", token=TOKEN))
    raises("hub: missing revision is RevisionNotFoundError", errors.RevisionNotFoundError,
           lambda: get(MODEL, revision="no-such-branch"))
    raises("hub: missing file is EntryNotFoundError", errors.EntryNotFoundError,
           lambda: hf.hf_hub_download(MODEL, "absent.txt", cache_dir=cache, token=False))
    listed = sorted(f.path for f in hf.HfApi(endpoint=hub.endpoint, token=False).list_repo_tree(MODEL, recursive=True))
    report.check("hub: list_repo_tree follows the pages (2 entries each) to every file", listed ==
                 sorted(served_files(model_dir)), f"{listed}")


def setup_error(message):
    print(f"check-hf-cache: {message}", file=sys.stderr)
    sys.exit(2)


def main():
    args = parse_args()
    if not Path(args.classes, "io/distiltrain/hub/FakeHub.class").is_file():
        setup_error(f"no FakeHub under {args.classes}: run `mvn -q -B -o test-compile` first (or pass --classes)")
    if not args.skip_jar and not Path(args.jar).is_file():
        setup_error(f"no jar at {args.jar}: build it (`mvn -q -B -o package -DskipTests`), pass --jar, or --skip-jar")
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="check-hf-cache-"))
    work.mkdir(parents=True, exist_ok=True)
    model_dir, data_dir = write_fixtures(work)
    hub = Hub(args.java, args.classes, model_dir, data_dir, work / "hub-requests.log")
    report = Report()
    try:
        # huggingface_hub reads these once, at import: set them first, and never send a real token.
        for var in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_HUB_OFFLINE"):
            os.environ.pop(var, None)
        os.environ.update(HF_ENDPOINT=hub.endpoint, HF_HUB_DISABLE_PROGRESS_BARS="1", HF_HUB_DISABLE_TELEMETRY="1")
        import huggingface_hub as hf
        print(f"FakeHub at {hub.endpoint}, huggingface_hub {hf.__version__}, work folder {work}")
        cases = [("model", MODEL, "model", MODEL, None, served_files(model_dir)),
                 ("dataset", DATASET, "dataset", f"datasets/{DATASET}", ["*.parquet"],
                  served_files(data_dir, ["*.parquet"]))]
        hub_answers_as_huggingface_co(report, hub, work, hf, model_dir)
        for case in cases:
            direction_a(args, report, hub, work, hf, *case)
            direction_b(args, report, hub, work, hf, *case)
    finally:
        hub.close()
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{'OK' if report.failures == 0 else 'MISMATCH'}: {report.failures} check(s) failed")
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":
    main()
