# Sourced by ./verify, ./run-local and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Honours JAVA_HOME when it already points at one; otherwise looks at the usual install places.
# The machine's default `java` may be 17, which cannot compile this project (release 21).

keyline_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

keyline_select_jdk() {
  local candidate major
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(keyline_java_major "$JAVA_HOME")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(keyline_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(keyline_java_major "$candidate")
    if [ "${major:-0}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  fi
  echo "error: this project needs a JDK 21 or newer; none found (set JAVA_HOME to one)." >&2
  return 1
}

keyline_select_jdk || exit 1
export PATH="$JAVA_HOME/bin:$PATH"
