# Sourced by ./run-local: the JDK AOT cache (JEP 483/514) for the services' fast-jars.
#   aot_opts APP_DIR   -> prints the JVM options for the next start of the app in APP_DIR
#                         (target/quarkus-app): -XX:AOTCache=APP_DIR/app.aot when a cache at least as
#                         new as every jar there exists; with KEYLINE_AOT=train and no such cache,
#                         -XX:AOTCacheOutput=APP_DIR/app.aot, which makes this run the training run (the
#                         JVM writes the cache when it stops); nothing when the JVM cannot (JDK < 25),
#                         with KEYLINE_AOT=0, or when there is no cache and training was not asked for.
# Training is opt-in because writing the cache makes the stop take minutes on a small machine (three
# JVMs assembling caches at once), which nobody expects from a plain `./run-local --stop`.
# A cache that does not fit the JVM or the class path is refused by the JVM itself with a warning and
# the app starts without it (AOTMode=auto), so a stale or foreign cache never stops a start.
aot_supported() { # java
  [ "${KEYLINE_AOT:-1}" != "0" ] || return 1
  "$1" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -q ' AOTCacheOutput '
}

aot_opts() { # app-dir
  local cache="$1/app.aot"
  aot_supported "$JAVA" || return 0
  if [ -s "$cache" ] && [ -z "$(find "$1" -name '*.jar' -newer "$cache" -print -quit)" ]; then
    echo "-XX:AOTCache=$cache"
  elif [ "${KEYLINE_AOT:-1}" = "train" ]; then
    rm -f "$cache"
    echo "-XX:AOTCacheOutput=$cache"
  fi
}
