#!/usr/bin/env bash
# Run a real Neo4j 5.26 Community server (embedded in a tiny Java launcher, Bolt
# enabled, auth disabled) on this machine without Docker. Needs Java 17+ and Maven
# (dependencies are fetched from Maven Central once, into ~/.m2).
#
# Usage:
#   scripts/neo4j-server.sh start [PORT]   start in the background (fresh, empty database),
#                                          print the Bolt URI on stdout
#   scripts/neo4j-server.sh stop           stop it (SIGTERM, SIGKILL after a timeout), delete its data
#   scripts/neo4j-server.sh status         print state; exit 0 if running, 3 if not
#   scripts/neo4j-server.sh run CMD...     start, run CMD with NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD
#                                          exported, stop, exit with CMD's exit code, e.g.
#                                            scripts/neo4j-server.sh run python -m pytest
#   scripts/neo4j-server.sh import ARGS... neo4j-admin database import full into NEO4J_TEST_DATA_DIR
#                                          (server stopped), e.g. with the arguments
#                                          `graphctl import-files` prints after its command name
#   scripts/neo4j-server.sh build          (re)build the launcher only
#
# Environment (all optional):
#   NEO4J_TEST_PORT           Bolt port (default 7687; "auto" picks a free port)
#   NEO4J_TEST_HEAP           JVM max heap, -Xmx (default 1g)
#   NEO4J_TEST_PAGECACHE_MB   page cache in MiB (default 256)
#   NEO4J_TEST_START_TIMEOUT  seconds to wait for Bolt (default 120)
#   NEO4J_TEST_STOP_TIMEOUT   seconds to wait after SIGTERM before SIGKILL (default 30)
#   NEO4J_TEST_STATE_DIR      pid/log/state directory (default <repo>/.neo4j-test)
#   NEO4J_TEST_DATA_DIR       keep the database in this directory (default: a fresh temporary one,
#                             deleted on stop)
#   NEO4J_TEST_JAVA_OPTS      extra JVM options (word-split)
#   JAVA_HOME, MVN            java / maven to use (default: java and mvn on PATH)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
PROJECT_DIR="$SCRIPT_DIR/neo4j"
TARGET_DIR="$PROJECT_DIR/target"
CLASSPATH_FILE="$TARGET_DIR/classpath.txt"
BUILD_STAMP="$TARGET_DIR/.build-stamp"
MAIN_CLASS="graphctl.EmbeddedNeo4j"
DATA_PREFIX="graphctl-neo4j."

STATE_DIR="${NEO4J_TEST_STATE_DIR:-$REPO_ROOT/.neo4j-test}"
HEAP="${NEO4J_TEST_HEAP:-1g}"
PAGECACHE_MB="${NEO4J_TEST_PAGECACHE_MB:-256}"
START_TIMEOUT="${NEO4J_TEST_START_TIMEOUT:-120}"
STOP_TIMEOUT="${NEO4J_TEST_STOP_TIMEOUT:-30}"
MVN="${MVN:-mvn}"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA="$JAVA_HOME/bin/java"
else
    JAVA="java"
fi

# Exported to the command by `run`. Auth is disabled on this server, so any
# credentials are accepted; these only satisfy clients that insist on a value.
RUN_USER="neo4j"
RUN_PASSWORD="unused-auth-disabled"

log() { printf 'neo4j-server: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
}

# ---------------------------------------------------------------- helpers

# Is PID a live (non-zombie) process running our launcher?
is_our_process() {
    local pid="$1" stat args
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    stat="$(ps -o stat= -p "$pid" 2>/dev/null || true)"
    [[ -n "$stat" && "$stat" != Z* ]] || return 1
    args="$(ps -o args= -p "$pid" 2>/dev/null || true)"
    [[ "$args" == *"$MAIN_CLASS"* ]]
}

port_open() {
    # bash's /dev/tcp: succeeds iff something accepts connections on the port
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

valid_port() {
    [[ "$1" =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= 65535 ))
}

pick_free_port() {
    local p i
    for i in $(seq 1 50); do
        p=$(( 20000 + RANDOM % 40000 ))
        if ! port_open "$p"; then echo "$p"; return 0; fi
    done
    die "could not find a free port"
}

state_get() { [[ -f "$STATE_DIR/$1" ]] && cat "$STATE_DIR/$1" || true; }

running_pid() {
    local pid
    pid="$(state_get pid)"
    if [[ -n "$pid" ]] && is_our_process "$pid"; then echo "$pid"; fi
}

remove_data_dir() {
    local d="$1"
    # only ever delete a directory this script created
    if [[ -n "$d" && -d "$d" && "$(basename "$d")" == "$DATA_PREFIX"* ]]; then
        rm -rf -- "$d"
    fi
}

clear_state() {
    remove_data_dir "$(state_get data_dir)"
    rm -f "$STATE_DIR/pid" "$STATE_DIR/port" "$STATE_DIR/data_dir" "$STATE_DIR/uri"
}

print_log_tail() {
    local data_dir="$1"
    if [[ -s "$STATE_DIR/neo4j.log" ]]; then
        log "----- last lines of $STATE_DIR/neo4j.log -----"
        tail -n 40 "$STATE_DIR/neo4j.log" >&2 || true
    fi
    if [[ -n "$data_dir" && -s "$data_dir/logs/debug.log" ]]; then
        log "----- last lines of $data_dir/logs/debug.log -----"
        tail -n 40 "$data_dir/logs/debug.log" >&2 || true
    fi
    log "-----"
}

check_java() {
    command -v "$JAVA" >/dev/null 2>&1 || die "java not found (need Java 17+; set JAVA_HOME)"
    local ver major
    ver="$("$JAVA" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)"
    major="${ver%%.*}"
    [[ "$major" == 1 ]] && major="$(echo "$ver" | cut -d. -f2)"
    if [[ "$major" =~ ^[0-9]+$ ]] && (( major < 17 )); then
        die "Java $ver found, Neo4j 5.26 needs Java 17 or 21"
    fi
}

# ---------------------------------------------------------------- build

build_needed() {
    [[ -s "$CLASSPATH_FILE" && -f "$BUILD_STAMP" \
        && -f "$TARGET_DIR/classes/graphctl/EmbeddedNeo4j.class" ]] || return 0
    # sources or pom changed since the last build?
    [[ -z "$(find "$PROJECT_DIR/pom.xml" "$PROJECT_DIR/src" -newer "$BUILD_STAMP" -print 2>/dev/null | head -n 1)" ]] || return 0
    # all dependency jars still present (e.g. ~/.m2 not wiped)?
    local IFS=':' jar
    for jar in $(cat "$CLASSPATH_FILE"); do
        [[ -f "$jar" ]] || return 0
    done
    return 1
}

do_build() {
    build_needed || return 0
    command -v "$MVN" >/dev/null 2>&1 || die "maven ($MVN) not found"
    log "building the Neo4j launcher (first run downloads Neo4j from Maven Central into ~/.m2) ..."
    local t0=$SECONDS out
    # -q still prints stray ANSI resets with some Maven versions: keep the output
    # and only show it when the build fails.
    if ! out="$("$MVN" -q -B -Dstyle.color=never -f "$PROJECT_DIR/pom.xml" \
            compile dependency:build-classpath </dev/null 2>&1)"; then
        printf '%s\n' "$out" >&2
        die "maven build of $PROJECT_DIR failed"
    fi
    [[ -s "$CLASSPATH_FILE" ]] || die "maven did not write $CLASSPATH_FILE"
    touch "$BUILD_STAMP"
    log "build done in $(( SECONDS - t0 ))s"
}

build() {
    mkdir -p "$TARGET_DIR"
    if command -v flock >/dev/null 2>&1; then
        # serialise concurrent builds (e.g. two test runs starting at once)
        (
            flock 9
            do_build
        ) 9>"$TARGET_DIR/.build-lock"
    else
        do_build
    fi
}

# ---------------------------------------------------------------- commands

cmd_start() {
    local port="${1:-${NEO4J_TEST_PORT:-7687}}"
    [[ "$port" == auto ]] && port="$(pick_free_port)"
    valid_port "$port" || die "invalid port: $port"
    [[ "$PAGECACHE_MB" =~ ^[0-9]+$ ]] || die "NEO4J_TEST_PAGECACHE_MB must be a number of MiB"

    mkdir -p "$STATE_DIR"
    local pid
    pid="$(running_pid)"
    if [[ -n "$pid" ]]; then
        if [[ "$(state_get port)" == "$port" ]]; then
            log "already running (pid $pid)"
            state_get uri
            return 0
        fi
        die "already running on port $(state_get port) (pid $pid); run '$0 stop' first"
    fi
    clear_state   # stale state from a crashed run

    if port_open "$port"; then
        die "port $port is already in use on 127.0.0.1 (another Neo4j?); choose another with NEO4J_TEST_PORT or 'start PORT'"
    fi

    check_java
    build

    local data_dir classpath logfile t0
    if [[ -n "${NEO4J_TEST_DATA_DIR:-}" ]]; then
        # a kept data directory: `stop` leaves it, so a restart finds the same database
        data_dir="$NEO4J_TEST_DATA_DIR"
        mkdir -p "$data_dir"
    else
        data_dir="$(mktemp -d "${TMPDIR:-/tmp}/${DATA_PREFIX}XXXXXX")"
    fi
    classpath="$TARGET_DIR/classes:$(cat "$CLASSPATH_FILE")"
    logfile="$STATE_DIR/neo4j.log"

    local -a jvm_opts=(
        "-Xmx$HEAP"
        -XX:-OmitStackTraceInFastThrow
        -XX:+ExitOnOutOfMemoryError
        -Djdk.nio.maxCachedBufferSize=1024
        -Dio.netty.tryReflectionSetAccessible=true
        -Dlog4j2.disable.jmx=true
        --add-opens=java.base/java.nio=ALL-UNNAMED
        --add-opens=java.base/java.io=ALL-UNNAMED
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
    )
    if [[ -n "${NEO4J_TEST_JAVA_OPTS:-}" ]]; then
        # shellcheck disable=SC2206  # intentional word splitting
        jvm_opts+=( ${NEO4J_TEST_JAVA_OPTS} )
    fi

    log "starting Neo4j on 127.0.0.1:$port (heap $HEAP, page cache ${PAGECACHE_MB}m, data $data_dir)"
    t0=$SECONDS
    # CLASSPATH via the environment keeps `ps` output short.
    CLASSPATH="$classpath" nohup "$JAVA" "${jvm_opts[@]}" "$MAIN_CLASS" \
        "$port" "$data_dir" "$PAGECACHE_MB" </dev/null >"$logfile" 2>&1 &
    pid=$!
    echo "$pid" >"$STATE_DIR/pid"
    echo "$port" >"$STATE_DIR/port"
    echo "$data_dir" >"$STATE_DIR/data_dir"

    local uri="bolt://127.0.0.1:$port"
    local deadline=$(( SECONDS + START_TIMEOUT ))
    while :; do
        if ! kill -0 "$pid" 2>/dev/null || [[ "$(ps -o stat= -p "$pid" 2>/dev/null || true)" == Z* ]]; then
            log "Neo4j exited during startup"
            print_log_tail "$data_dir"
            clear_state
            die "Neo4j failed to start (log: $logfile)"
        fi
        if grep -q '^READY ' "$logfile" 2>/dev/null && port_open "$port"; then
            break
        fi
        if (( SECONDS >= deadline )); then
            log "Bolt did not answer on port $port within ${START_TIMEOUT}s"
            print_log_tail "$data_dir"
            cmd_stop >/dev/null 2>&1 || true
            die "Neo4j failed to start in time (log: $logfile)"
        fi
        sleep 0.25
    done
    echo "$uri" >"$STATE_DIR/uri"
    log "Neo4j is up at $uri (pid $pid, ${SECONDS}s since script start, $(( SECONDS - t0 ))s JVM start)"
    echo "$uri"
}

cmd_stop() {
    local pid data_dir
    pid="$(state_get pid)"
    data_dir="$(state_get data_dir)"
    if [[ -z "$pid" ]]; then
        log "not running"
        clear_state
        return 0
    fi
    if is_our_process "$pid"; then
        log "stopping Neo4j (pid $pid) ..."
        kill -TERM "$pid" 2>/dev/null || true
        local deadline=$(( SECONDS + STOP_TIMEOUT ))
        while is_our_process "$pid"; do
            if (( SECONDS >= deadline )); then
                log "still running after ${STOP_TIMEOUT}s, sending SIGKILL"
                kill -KILL "$pid" 2>/dev/null || true
                sleep 1
                break
            fi
            sleep 0.2
        done
        log "stopped"
    else
        log "not running (stale pid $pid)"
    fi
    clear_state
}

cmd_status() {
    local pid
    pid="$(running_pid)"
    if [[ -n "$pid" ]]; then
        local port
        port="$(state_get port)"
        if port_open "$port"; then
            echo "running: pid $pid, $(state_get uri), data $(state_get data_dir)"
        else
            echo "starting: pid $pid, port $port, data $(state_get data_dir)"
        fi
        return 0
    fi
    echo "not running"
    return 3
}

cmd_run() {
    (( $# > 0 )) || { usage; die "run: missing command"; }
    local pid
    pid="$(running_pid)"
    if [[ -n "$pid" ]]; then
        die "a server started with '$0 start' is already running (pid $pid); stop it first, or use another NEO4J_TEST_STATE_DIR"
    fi

    trap 'cmd_stop || true' EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    trap 'exit 129' HUP

    local uri
    uri="$(cmd_start "${NEO4J_TEST_PORT:-7687}")"
    export NEO4J_URI="$uri"
    export NEO4J_USER="$RUN_USER"
    export NEO4J_USERNAME="$RUN_USER"
    export NEO4J_PASSWORD="$RUN_PASSWORD"

    log "running: $* (NEO4J_URI=$NEO4J_URI)"
    local rc=0
    "$@" || rc=$?
    log "command exited with $rc"
    exit "$rc"
}

cmd_import() {
    # Neo4j's offline importer, from the jars the launcher already uses: it writes the
    # `neo4j` database under NEO4J_TEST_DATA_DIR, where `start` then serves it.
    [[ -n "${NEO4J_TEST_DATA_DIR:-}" ]] || die "import needs NEO4J_TEST_DATA_DIR (the server's home to build)"
    [[ -z "$(running_pid)" ]] || die "stop the server first: the importer needs the database closed"
    check_java
    build
    local home
    home="$(mkdir -p "$NEO4J_TEST_DATA_DIR/logs" && cd "$NEO4J_TEST_DATA_DIR" && pwd)"
    # NEO4J_HOME is read from the environment by the admin tool; heap and off-heap are
    # capped so a CI machine is not asked for most of its memory.
    NEO4J_HOME="$home" CLASSPATH="$(cat "$CLASSPATH_FILE")" "$JAVA" "-Xmx$HEAP" org.neo4j.cli.AdminTool \
        database import full neo4j --overwrite-destination=true --max-off-heap-memory=1g \
        --report-file="$home/logs/import.report" "$@"
}

main() {
    local cmd="${1:-}"
    (( $# > 0 )) && shift
    case "$cmd" in
        start)  (( $# <= 1 )) || { usage; exit 2; }; cmd_start "$@" ;;
        stop)   cmd_stop ;;
        status) cmd_status ;;
        run)    cmd_run "$@" ;;
        import) cmd_import "$@" ;;
        build)  check_java; build ;;
        -h|--help|help) usage ;;
        *) usage; exit 2 ;;
    esac
}

main "$@"
