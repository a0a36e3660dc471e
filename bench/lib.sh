# Sourced (POSIX sh) by the benchmark scripts after they set `root` to the checkout. The benchmarks that drive a
# live daemon (terminals.sh, messaging.sh) start and clean up that daemon here, so they measure the same build the
# same way; every script prints the same machine line, so results from different scripts can be compared.
# Each script keeps its own usage comment, options and tables.
# shellcheck shell=sh disable=SC2154 # root comes from the sourcing script

. "$root/.mvn/find-jdk.sh"

# What a daemon benchmark needs before it starts anything: a JDK, tmux, the packaged daemon and the compiled client,
# and the test classpath the client runs on (written once, to target/bench-cp.txt; sets cp_file).
bench_prepare() { # $1 = the client class in dev.caod.bench (TerminalBench, MessagingBench)
  caod_select_jdk java || exit 1
  command -v tmux >/dev/null || { echo "bench/${0##*/} needs tmux: apt-get install tmux" >&2; exit 1; }

  [ -f "$root/target/quarkus-app/quarkus-run.jar" ] || {
    echo "target/quarkus-app is missing: run ./mvnw package -DskipTests first." >&2; exit 1; }
  [ -f "$root/target/test-classes/dev/caod/bench/$1.class" ] || {
    echo "target/test-classes has no $1: run ./mvnw test-compile first." >&2; exit 1; }
  if [ -n "$(find "$root/src/main" "$root/proto" -newer "$root/target/quarkus-app/quarkus-run.jar" -print -quit)" ]
  then
    echo "note: sources changed since target/quarkus-app was built; this measures the old build." >&2
  fi
  cp_file="$root/target/bench-cp.txt"
  if [ ! -s "$cp_file" ]; then
    echo "writing the test classpath to target/bench-cp.txt (once)..." >&2
    (cd "$root" && ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=target/bench-cp.txt \
      -Dmdep.includeScope=test) >&2
  fi
}

# Starts `bin/caod serve` on a throw-away CAOD_HOME ($home) with a private tmux server ($tmux_socket), so that
# nothing of the user's own daemon or tmux is measured or touched, and waits for its socket. The EXIT trap it sets
# stops the daemon and removes all it made. Set bench_report_warnings=yes first to have the daemon's warnings
# printed on the way out (its log goes with the home).
bench_start_daemon() { # $1 = the tmux socket name
  home=$(mktemp -d)
  tmux_socket=$1
  pid=
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM

  CAOD_HOME="$home" CAOD_NO_BUILD=1 \
    CAOD_JAVA_OPTS="-Dquarkus.http.port=0 -Dcaod.tmux.socket-name=$tmux_socket ${CAOD_JAVA_OPTS-}" \
    "$root/bin/caod" serve >"$home/serve.log" 2>&1 &
  pid=$! # bin/caod execs the JVM: this is the daemon's pid
  i=0
  until [ -S "$home/run/caod.sock" ]; do
    if [ $i -ge 600 ] || ! kill -0 "$pid" 2>/dev/null; then # 120 s: the first start may record the AOT cache
      echo "the daemon did not come up; its log:" >&2; cat "$home/serve.log" >&2; exit 1
    fi
    sleep 0.2; i=$((i + 1))
  done
}

bench_cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  if [ "${bench_report_warnings-}" = yes ]; then
    # what the daemon found worth saying (failed deliveries, Enter pressed again ...), before its home goes
    warnings=$(grep -E ' (WARN|ERROR) |pressing Enter again' "$home/serve.log" 2>/dev/null || true)
    if [ -n "$warnings" ]; then
      echo "the daemon logged $(printf '%s\n' "$warnings" | wc -l) warning(s), error(s) or re-pressed Enters;" \
        "the last 10:" >&2
      printf '%s\n' "$warnings" | tail -n 10 >&2
    fi
  fi
  # the shared server and every session's own (<socket>-<session>)
  for s in "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$tmux_socket" "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$tmux_socket"-*; do
    [ -e "$s" ] || continue
    tmux -L "${s##*/}" kill-server 2>/dev/null || true
    rm -f "$s" # tmux 3.3a leaves the socket file behind
  done
  left=$(pgrep -f "demo-agent.*$home" || true)
  if [ -n "$left" ]; then
    echo "demo agents left behind, ending them: $left" >&2
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null || true
  fi
  rm -rf "$home"
}

# Runs a benchmark client from target/test-classes, with the flags bin/caod also gives the daemon's JVM: they keep
# the JDK from warning about the libraries' native access and sun.misc.Unsafe use.
bench_client() { # $1 = the client class in dev.caod.bench; the rest are its arguments
  bench_class=$1
  shift
  flags=--enable-native-access=ALL-UNNAMED
  [ "$(caod_jdk_major "$JAVA_HOME")" -ge 24 ] && flags="$flags --sun-misc-unsafe-memory-access=allow"
  # shellcheck disable=SC2086
  "$JAVA_HOME/bin/java" $flags -cp "$root/target/test-classes:$root/target/classes:$(cat "$cp_file")" \
    "dev.caod.bench.$bench_class" "$@"
}

# The machine a result was measured on, for the line under every table: cores, CPU model, RAM, OS and the JDK
# (JAVA_HOME, already selected). Callers add what else they depend on (tmux, the date).
bench_machine() {
  echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), \
$(awk '/MemTotal/ {printf "%d GiB", $2/1048576}' /proc/meminfo) RAM, $(. /etc/os-release; echo "$PRETTY_NAME"), \
$("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
}
