#!/usr/bin/env bash
# Throughput of one replica against two on one PostgreSQL database and one shared home: the time a batch of
# CNN jobs takes from submit to the last SUCCEEDED, for 1 and then 2 replicas of the packaged jar. Needs the jar
# (./mvnw -B -DskipTests package), the dataset under data/mnist, and Debian's postgresql package; run as root
# (PostgreSQL runs as the postgres user) or as a user that may run initdb.
# Usage: scripts/fleet-throughput.sh [JOBS=4] [STEPS=200] [ROUNDS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-4} steps=${2:-200} rounds=${3:-2}
jar=target/deep-mnist-service.jar
test -f "$jar" || { echo "build the jar first: ./mvnw -B -DskipTests package" >&2; exit 1; }
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
test -x "$bin/initdb" || { echo "install PostgreSQL: apt-get install postgresql" >&2; exit 1; }
work=$(mktemp -d)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  as_pg "$bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres: "$work"
pgport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg "$bin/initdb" -D "$work/pg" -U postgres -A trust --no-sync >/dev/null
as_pg "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $pgport -k $work -c listen_addresses=127.0.0.1" start >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
state() { curl -fsS "http://127.0.0.1:$1/jobs/$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])'; }

run_batch() {  # $1: replicas, $2: round
  local n=$1 db="fleet_${1}_$2" home="$work/home-$1-$2" ports=()
  as_pg "$bin/psql" -q -h 127.0.0.1 -p "$pgport" -U postgres -c "CREATE DATABASE $db" >/dev/null
  mkdir -p "$home" "$work/tmp" && cp -r data/mnist "$home/mnist"
  pids=()
  for i in $(seq 1 "$n"); do
    local port; port=$(free_port); ports+=("$port")
    java -Djava.io.tmpdir="$work/tmp" -jar "$jar" --server.port="$port" --management.server.port=0 --mnist.home="$home" \
      --mnist.jobs.node="replica-$i" \
      --spring.datasource.url="jdbc:postgresql://127.0.0.1:$pgport/$db" --spring.datasource.username=postgres \
      --spring.datasource.password= > "$work/replica-$n-$2-$i.log" 2>&1 &
    pids+=($!)
  done
  for port in "${ports[@]}"; do
    until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.5; done
  done
  local ids=() start end
  start=$(date +%s.%N)
  for j in $(seq 1 "$jobs"); do
    ids+=("$(curl -fsS -H 'Content-Type: application/json' -d "{\"model\":\"cnn\",\"steps\":$steps,\"logEvery\":100,\"checkpointEvery\":100,\"seed\":$j}" \
      "http://127.0.0.1:${ports[0]}/jobs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')")
  done
  for id in "${ids[@]}"; do
    until [ "$(state "${ports[0]}" "$id")" = SUCCEEDED ]; do sleep 0.2; done
  done
  end=$(date +%s.%N)
  for p in "${pids[@]}"; do kill "$p"; done
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
  python3 -c "print(f'replicas={$n} round={$2} jobs={$jobs} steps={$steps} seconds={$end - $start:.1f}')"
}

for r in $(seq 1 "$rounds"); do
  run_batch 1 "$r"
  run_batch 2 "$r"
done
