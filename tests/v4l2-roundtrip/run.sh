#!/usr/bin/env bash
# A real round trip through a v4l2loopback device, which a container cannot load: boots Debian's own
# kernel under qemu/KVM with this machine's root file system shared read-only over 9p, loads a
# v4l2loopback module built here for that kernel, runs `backdrop run --virtual-camera /dev/video0` in the
# guest and reads the device back with ffmpeg (tests/v4l2-roundtrip/guest.sh). Under TCG (no working
# KVM) only the virtual camera's own check runs, unless BACKDROP_ROUNDTRIP_ENGINE=1.
#
# Needs qemu-system-x86 (KVM where it works, else TCG, much slower), gcc-12 and make, and Debian's apt for the downloads (kernel,
# headers, v4l2loopback source, busybox-static: fetched with `apt-get download` and unpacked into the
# cache folder, never installed). Exits 0 on success, 77 when it cannot run here, 1 on failure.
# Usage: tests/v4l2-roundtrip/run.sh   (cache: $BACKDROP_ROUNDTRIP_CACHE, default .cache/v4l2-roundtrip)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CACHE="${BACKDROP_ROUNDTRIP_CACHE:-$ROOT/.cache/v4l2-roundtrip}"
TIMEOUT_S="${BACKDROP_ROUNDTRIP_TIMEOUT:-600}"

skip() {
  echo "v4l2 round trip skipped: $*" >&2
  exit 77
}

# The guest mounts a tmpfs over /tmp, and this machine's /tmp is not visible through the 9p share anyway.
case "$ROOT" in /tmp/*) skip "the checkout is under /tmp, which the guest cannot see (clone it elsewhere)" ;; esac
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)"
command -v make >/dev/null && command -v gcc-12 >/dev/null || skip "make and gcc-12 are needed to build the module"

# The kernel linux-image-amd64 points at now, e.g. linux-image-6.1.0-56-amd64.
IMAGE_PKG="$(apt-cache depends linux-image-amd64 2>/dev/null | grep -o 'linux-image-[0-9][^ ]*-amd64' | head -1)"
[ -n "$IMAGE_PKG" ] || skip "apt knows no linux-image-amd64"
KVER="${IMAGE_PKG#linux-image-}"
KMAJMIN="$(echo "$KVER" | cut -d. -f1,2)"
COMMON="linux-headers-${KVER%-amd64}-common"

mkdir -p "$CACHE/debs"
UNPACKED="$CACHE/root-$KVER"
if [ ! -f "$UNPACKED/.done" ]; then
  (cd "$CACHE/debs" && apt-get download -q "$IMAGE_PKG" "linux-headers-$KVER" "$COMMON" "linux-kbuild-$KMAJMIN" v4l2loopback-dkms busybox-static >/dev/null 2>&1) \
    || skip "apt-get download of the kernel, headers and v4l2loopback failed (no access to Debian's apt?)"
  rm -rf "$UNPACKED"
  mkdir -p "$UNPACKED"
  for deb in "$CACHE"/debs/*.deb; do dpkg -x "$deb" "$UNPACKED"; done
  # The headers name their common half by its installed path; point it at the unpacked copy.
  sed -i "s|/usr/src/$COMMON|$UNPACKED/usr/src/$COMMON|" "$UNPACKED/usr/src/linux-headers-$KVER/Makefile"
  touch "$UNPACKED/.done"
fi

MODSRC="$(ls -d "$UNPACKED"/usr/src/v4l2loopback-* | head -1)"
BUILD="$CACHE/v4l2loopback-$KVER"
if [ ! -f "$BUILD/v4l2loopback.ko" ]; then
  rm -rf "$BUILD"
  cp -r "$MODSRC" "$BUILD"
  make -s -C "$UNPACKED/usr/src/linux-headers-$KVER" M="$BUILD" modules >/dev/null
fi

# initramfs: busybox, the modules for 9p over virtio and for v4l2loopback (in load order), and /init.
INITRD_DIR="$CACHE/initramfs"
rm -rf "$INITRD_DIR"
mkdir -p "$INITRD_DIR"/{bin,proc,sys,dev,host,modules}
cp "$UNPACKED/bin/busybox" "$INITRD_DIR/bin/busybox"
K="$UNPACKED/lib/modules/$KVER/kernel"
MODULES=(
  drivers/virtio/virtio_ring drivers/virtio/virtio drivers/virtio/virtio_pci_modern_dev drivers/virtio/virtio_pci_legacy_dev
  drivers/virtio/virtio_pci net/9p/9pnet net/9p/9pnet_virtio fs/netfs/netfs fs/fscache/fscache fs/9p/9p
  drivers/media/mc/mc drivers/media/v4l2-core/videodev
)
i=0
for m in "${MODULES[@]}"; do
  cp "$K/$m.ko" "$INITRD_DIR/modules/$(printf '%02d' $i)-$(basename "$m").ko"
  i=$((i + 1))
done
cp "$BUILD/v4l2loopback.ko" "$INITRD_DIR/modules/99-v4l2loopback.ko"

cat >"$INITRD_DIR/init" <<EOF
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs dev /dev
for m in /modules/*.ko; do
  case "\$m" in
    *v4l2loopback.ko) insmod "\$m" devices=1 exclusive_caps=1 card_label=Backdrop ;;
    *) insmod "\$m" ;;
  esac
done
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=524288 hostroot /host
mount --bind /dev /host/dev
mount -t proc proc /host/proc
mount -t sysfs sysfs /host/sys
mount -t tmpfs tmpfs /host/tmp
chroot /host /bin/sh -c 'cd "$ROOT" && sh tests/v4l2-roundtrip/guest.sh'
echo "ROUNDTRIP EXIT \$?"
poweroff -f
EOF
chmod +x "$INITRD_DIR/init"
(cd "$INITRD_DIR" && find . | ./bin/busybox cpio -o -H newc 2>/dev/null | gzip -1) >"$CACHE/initrd.gz"

LOG="$CACHE/console.log"

# Boots the guest with the given accelerator options and kernel arguments; gives up after $3 seconds.
boot() {
  timeout "$3" qemu-system-x86_64 $1 -m 4096 -smp 2 -nographic -no-reboot \
    -kernel "$UNPACKED/boot/vmlinuz-$KVER" -initrd "$CACHE/initrd.gz" -append "console=ttyS0 quiet panic=-1 $2" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap >"$LOG" 2>&1 &
  QEMU=$!
}

# KVM first. Nested KVM inside some VMs (Firecracker's) hangs as the kernel enters long mode, so if the
# guest has not reached guest.sh within a minute, it runs again under TCG, many times slower.
if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
  echo "booting $KVER under qemu/KVM (console: $LOG)" >&2
  boot "-enable-kvm -cpu host,-arch-capabilities" "backdrop.engine=1" "$TIMEOUT_S"
  for _ in $(seq 1 60); do
    grep -q 'roundtrip:' "$LOG" && break
    kill -0 "$QEMU" 2>/dev/null || break
    sleep 1
  done
  if ! grep -q 'roundtrip:' "$LOG"; then
    kill "$QEMU" 2>/dev/null || true
    wait "$QEMU" 2>/dev/null || true
    echo "KVM guest did not boot; trying TCG, device check only (the engine is too slow there)" >&2
    boot "-cpu max" "backdrop.engine=${BACKDROP_ROUNDTRIP_ENGINE:-0}" "$((TIMEOUT_S * 2))"
  fi
else
  echo "booting $KVER under qemu/TCG, no /dev/kvm, device check only (console: $LOG)" >&2
  boot "-cpu max" "backdrop.engine=${BACKDROP_ROUNDTRIP_ENGINE:-0}" "$((TIMEOUT_S * 2))"
fi
wait "$QEMU" || true

grep -aoE '(ROUNDTRIP|roundtrip):? .*' "$LOG" >&2 || true
if grep -aq 'ROUNDTRIP EXIT 0' "$LOG"; then
  echo "v4l2 round trip passed" >&2
  exit 0
fi
echo "v4l2 round trip FAILED; last console lines:" >&2
tail -n 40 "$LOG" >&2
exit 1
