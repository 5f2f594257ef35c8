#!/usr/bin/env bash
# Runs each fuzz target for a bounded time on the stable toolchain.
#
#   rust/fuzz/run.sh [SECONDS] [TARGET...]     (default: 60 seconds, every target)
#
# cargo-fuzz passes nightly-only flags to rustc; RUSTC_BOOTSTRAP=1 lets the stable
# compiler accept them. Seeds are copied from the shared corpus next to the repository
# (never committed: corpus/ and artifacts/ here are git-ignored). A crash stops the
# run with a non-zero exit; the input is kept in artifacts/TARGET/ and the log in
# artifacts/TARGET.log.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list --fuzz-dir "$here")
fi
shared_corpus="${GITOPS_DIFF_CORPUS:-$repo/../shared/corpus}"
max_len="${FUZZ_MAX_LEN:-32768}"
export RUSTC_BOOTSTRAP=1

if ! command -v cargo-fuzz >/dev/null; then
    cargo install --locked cargo-fuzz
fi

# Copies the shared corpus files with the given name endings (small ones only) as seeds.
seed() {
    local dest="$1"
    shift
    mkdir -p "$dest"
    [ -d "$shared_corpus" ] || { echo "no shared corpus at $shared_corpus: starting from nothing"; return; }
    local pattern=()
    for ending in "$@"; do
        pattern+=(-o -name "*.$ending")
    done
    find "$shared_corpus" -type f -size -"$((max_len / 1024))"k \( "${pattern[@]:1}" \) -print0 |
        while IFS= read -r -d '' file; do
            cp "$file" "$dest/seed-$(sha1sum < "$file" | cut -c1-16)"
        done
}

# Seeds for the targets that read two documents (split at a NUL byte): neighbouring
# files of one folder, which are often two states of the same objects.
seed_pairs() {
    local dest="$1" previous="" file
    mkdir -p "$dest"
    [ -d "$shared_corpus" ] || return 0
    while IFS= read -r -d '' file; do
        if [ -n "$previous" ] && [ "$(dirname "$previous")" = "$(dirname "$file")" ]; then
            { cat "$previous"; printf '\0'; cat "$file"; } > "$dest/pair.tmp"
            mv "$dest/pair.tmp" "$dest/pair-$(sha1sum < "$dest/pair.tmp" | cut -c1-16)"
        fi
        previous="$file"
    done < <(find "$shared_corpus" -type f -size -"$((max_len / 2048))"k \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) -print0 | sort -z)
}

cargo fuzz build --fuzz-dir "$here" --sanitizer none --debug-assertions

status=0
for target in "${targets[@]}"; do
    corpus="$here/corpus/$target"
    case "$target" in
        yaml_load) seed "$corpus" yaml yml ;;
        json_load) seed "$corpus" json ;;
        *)
            seed "$corpus" yaml yml json
            seed_pairs "$corpus"
            ;;
    esac
    mkdir -p "$here/artifacts/$target"
    echo "== $target: ${seconds}s"
    if ! cargo fuzz run --fuzz-dir "$here" --sanitizer none --debug-assertions "$target" "$corpus" -- \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$here/artifacts/$target/" \
        > "$here/artifacts/$target.log" 2>&1; then
        status=1
        echo "!! $target found a problem: see $here/artifacts/$target.log"
    fi
    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^Done [0-9]+ runs' "$here/artifacts/$target.log" || true
done
exit "$status"
