#!/bin/sh
# Disk full while checkpointing (run inside `unshare -rm`, which lets a non-root user mount a small
# tmpfs): the checkpoint directory fills up mid-run, checkpoints fail (never half-used), the job
# fails after its restarts; once there is space again the next run restores from the last
# complete checkpoint and the committed output is exact.
#   disk_full.sh JOB WORKDIR
set -u
job=$1
work=$2
rm -rf "$work" && mkdir -p "$work/checkpoints" && cd "$work" || exit 1
mount -t tmpfs -o size=1m tmpfs checkpoints || exit 1
set -- -p 2 -D a_gen.count=60000 -D b_gen.count=60000 -D a_gen.rate=20000 -D b_gen.rate=20000 \
  -D restart-strategy.type=fixed-delay -D restart-strategy.fixed-delay.attempts=2 \
  -D restart-strategy.fixed-delay.delay=10ms
"$job" "$@" 2> run1.err &
pid=$!
i=0
while [ ! -e checkpoints/exactly-once/chk-3/_metadata ] && [ $i -lt 600 ]; do sleep 0.01; i=$((i + 1)); done
dd if=/dev/zero of=checkpoints/fill bs=4096 2> /dev/null
wait $pid
echo "run1 exit $?"
grep -q "No space left on device" run1.err && echo "run1 checkpoint failed: disk full"
grep -q "no more restarts" run1.err && echo "run1 gave up after its restarts"
rm -f checkpoints/fill
"$job" "$@" 2> run2.err
echo "run2 exit $?"
grep -o "restored from checkpoint [0-9]*" run2.err | head -1 | sed 's/[0-9]*$/N/'
python3 - <<'PY'
import collections, glob
exp = collections.Counter(f"{g},{i % 64},{i // 64}" for g in "AB" for i in range(60000))
got = collections.Counter(l.rstrip("\n") for p in glob.glob("out/part-*") for l in open(p) if l.strip())
print("output: exact" if got == exp else f"output: {sum((exp - got).values())} lost, {sum((got - exp).values())} extra")
PY
