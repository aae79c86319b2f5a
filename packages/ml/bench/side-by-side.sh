#!/usr/bin/env bash
# Runs the tfjs benchmark and the PyTorch peer alternately, ROUNDS times each, with the same
# arguments, printing the load average before each run and each JSON line. Alternating keeps
# both exposed to the same background load on shared machines.
# usage: packages/ml/bench/side-by-side.sh [ROUNDS] [bench args...]   (from the repo root)
set -euo pipefail
rounds=${1:-3}
shift || true
args=("$@")
[ ${#args[@]} -eq 0 ] && args=(--size 64 --nf 32 --batch 16 --threads 2)
peer=${PEER:-../shared/peer/dcgan_torch.py}
for ((i = 1; i <= rounds; i++)); do
  echo "# round $i load $(cut -d' ' -f1-3 /proc/loadavg)"
  node --import tsx packages/ml/bench/bench.ts "${args[@]}" 2>/dev/null | tail -1
  echo "# round $i load $(cut -d' ' -f1-3 /proc/loadavg)"
  /usr/bin/python3 "$peer" "${args[@]}" | tail -1
done
