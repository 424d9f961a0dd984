# Sourced by the bench scripts: starts ./run-local in the background, stops it when the script exits,
# waits until target/local-stack.env is written and sources it.
#   start_local_stack LOG_FILE
start_local_stack() {
  local log=$1
  ./run-local --stop >/dev/null 2>&1 || true
  rm -rf target/local-stack target/local-stack.env
  ./run-local >"$log" 2>&1 &
  RUN_PID=$!
  trap './run-local --stop >/dev/null 2>&1 || true; wait $RUN_PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 900); do
    [ -f target/local-stack.env ] && break
    if ! kill -0 "$RUN_PID" 2>/dev/null; then
      echo "run-local exited before the stack was up:" >&2
      tail -40 "$log" >&2
      exit 1
    fi
    sleep 1
  done
  source target/local-stack.env
}
