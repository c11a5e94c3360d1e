#!/usr/bin/env bash
# Continues the committed training run (training/checkpoints/light-quarter) from any clone: builds whatever data
# cache is missing, then resumes from the checkpoint's model, optimiser and step. Extra arguments go to
# train.py (for example --minutes 150).
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-/usr/bin/python3}
ls training/cache/photos/*.npy >/dev/null 2>&1 || "$py" training/build_photo_cache.py
# The run's procedural pool is seeds 0-399; existing entries are skipped.
"$py" training/build_foreground_pool.py --count 400
ls training/cache/keyed/*/*.png >/dev/null 2>&1 || npx tsx scripts/key-training-clips.ts
test -f training/cache/engine/samples.json || npx tsx scripts/engine-training-samples.ts
exec "$py" training/train.py --resume --run training/checkpoints/light-quarter "$@"
