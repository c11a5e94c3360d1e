#!/bin/sh
# Runs inside the qemu guest that run.sh boots, from the repository root, with v4l2loopback loaded:
# `backdrop run` writes the astronaut, background replaced, to /dev/video0 while ffmpeg reads it back.
set -eu
export HOME=/tmp TMPDIR=/tmp PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

echo "roundtrip: /dev/video0 is \"$(cat /sys/class/video4linux/video0/name)\""
ffmpeg -v error -loop 1 -i /usr/lib/python3/dist-packages/skimage/data/astronaut.png -t 3 -r 10 -pix_fmt yuv420p -f yuv4mpegpipe /tmp/camera.y4m
node bin/backdrop.js run --camera /tmp/camera.y4m --background '#00ff00' --virtual-camera /dev/video0 \
  --duration 30 --threads 2 --json >/tmp/run.json 2>/tmp/run.err &
RUN=$!

# With exclusive_caps=1 the device becomes a camera only once Backdrop writes to it.
tries=0
until ffmpeg -v quiet -f v4l2 -i /dev/video0 -frames:v 1 -f null -; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "roundtrip: /dev/video0 never became readable"
    cat /tmp/run.err
    exit 1
  fi
  sleep 0.5
done
echo "roundtrip: device format $(cat /sys/class/video4linux/video0/format)"
# The slate comes first, while the models load; 20 s of frames reach well past that.
ffmpeg -v error -f v4l2 -i /dev/video0 -frames:v 200 -f rawvideo -pix_fmt rgba /tmp/read.rgba
wait "$RUN" || { echo "roundtrip: backdrop run failed"; cat /tmp/run.err; exit 1; }
node --import tsx tests/v4l2-roundtrip/check.ts /tmp/read.rgba /tmp/run.json "$(cat /sys/class/video4linux/video0/format)"
