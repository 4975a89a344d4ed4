# Starts a private redis-server on a free loopback port for the Redis tests and stops it by its own pid.
# Sourced by build.sh. With CI=true a Redis that cannot be installed or started fails the run.

REDIS_PID=""
REDIS_DIR=""

start_redis() {
  if ! command -v redis-server >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "installing redis-server (Debian package)..."
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null) || true
    fi
  fi
  if ! command -v redis-server >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ]; then
      echo "redis-server is not installed and could not be installed; CI needs it" >&2
      exit 1
    fi
    echo "redis-server not available: Redis tests will report themselves skipped" >&2
    return 0
  fi
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 6390)"
  REDIS_DIR="$(mktemp -d)"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$REDIS_DIR" \
    --daemonize no --logfile "$REDIS_DIR/redis.log" &
  REDIS_PID=$!
  for _ in $(seq 1 50); do
    if redis-cli -p "$port" ping >/dev/null 2>&1; then break; fi
    sleep 0.1
  done
  if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
    echo "redis-server did not start on port $port" >&2
    [ "${CI:-}" = "true" ] && exit 1
    return 0
  fi
  export PREDICTIVE_CACHING_REDIS="127.0.0.1:$port"
  export PREDICTIVE_CACHING_REDIS_SERVER="$(command -v redis-server)"
  echo "redis-server $REDIS_PID listening on $PREDICTIVE_CACHING_REDIS"
}

stop_redis() {
  if [ -n "$REDIS_PID" ]; then
    kill "$REDIS_PID" 2>/dev/null || true
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  [ -n "$REDIS_DIR" ] && rm -rf "$REDIS_DIR"
  return 0
}
