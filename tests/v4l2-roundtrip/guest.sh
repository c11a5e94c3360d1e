#!/bin/sh
# Runs inside the qemu guest that run.sh boots, from the repository root, with v4l2loopback loaded.
# First the virtual camera alone against the real device (device-check.ts). Then, when run.sh asks for
# it (backdrop.engine=1 on the kernel command line: only under KVM, the engine is too slow under TCG),
# `backdrop run` writes the astronaut, background replaced, to /dev/video0 while ffmpeg reads it back:
# idle (the slate, nothing computed) until ffmpeg opens the device, and idle again once it leaves.
set -eu
export HOME=/tmp TMPDIR=/tmp PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

echo "roundtrip: $(date +%T) /dev/video0 is \"$(cat /sys/class/video4linux/video0/name)\""
node --import tsx tests/v4l2-roundtrip/device-check.ts
grep -q 'backdrop.engine=1' /proc/cmdline || exit 0

# 256x256 keeps the engine quick.
ffmpeg -v error -loop 1 -i /usr/lib/python3/dist-packages/skimage/data/astronaut.png -t 3 -r 10 -vf scale=256:256 -pix_fmt yuv420p -f yuv4mpegpipe /tmp/camera.y4m
node bin/backdrop.js run --camera /tmp/camera.y4m --background '#00ff00' --virtual-camera /dev/video0 \
  --duration 3600 --threads 2 --json >/tmp/run.json 2>/tmp/run.err &
RUN=$!

# Waits until file $1 holds at least $2 lines matching $3 (600 tries, half a second apart).
wait_lines() {
  tries=0
  until [ "$(grep -c "$3" "$1")" -ge "$2" ]; do
    tries=$((tries + 1))
    if [ "$tries" -ge 600 ] || ! kill -0 "$RUN" 2>/dev/null; then
      echo "roundtrip: never saw $2 lines of \"$3\""
      cat /tmp/run.err
      exit 1
    fi
    sleep 0.5
  done
}

# On demand: with the virtual camera its only output and nobody reading it, the run computes nothing.
wait_lines /tmp/run.err 1 'virtual camera idle'

# With exclusive_caps=1 the device becomes a camera only once Backdrop writes to it: its first frames
# are the slate, the engine idle.
tries=0
until ffmpeg -v quiet -f v4l2 -i /dev/video0 -frames:v 1 -f rawvideo -pix_fmt rgba /tmp/first.rgba; do
  tries=$((tries + 1))
  if [ "$tries" -ge 600 ]; then
    echo "roundtrip: /dev/video0 never became readable"
    cat /tmp/run.err
    exit 1
  fi
  sleep 0.5
done
echo "roundtrip: $(date +%T) device format $(cat /sys/class/video4linux/video0/format)"
FORMAT="$(cat /sys/class/video4linux/video0/format)"

# A reader that stays: the engine resumes for it, and the backdrop turns green a few frames in. That
# short read may itself have been seen; the long one is counted from the idle lines before it.
sleep 2
IDLES="$(grep -c 'virtual camera idle' /tmp/run.err)"
ffmpeg -v error -f v4l2 -i /dev/video0 -frames:v 100 -f rawvideo -pix_fmt rgba /tmp/read.rgba
wait_lines /tmp/run.err "$((IDLES + 1))" 'virtual camera idle'
# SIGTERM (like Ctrl-C) stops a headless run cleanly: every output shut down, the summary printed.
kill -TERM "$RUN"
wait "$RUN" || { echo "roundtrip: backdrop run failed"; cat /tmp/run.err; exit 1; }
node --import tsx tests/v4l2-roundtrip/check.ts /tmp/first.rgba /tmp/read.rgba /tmp/run.json /tmp/run.err "$FORMAT"
