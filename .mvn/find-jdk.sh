# Sourced (POSIX sh) by ./mvnw and bin/caod: makes JAVA_HOME point at a JDK >= 21.
# Order: JAVA_HOME if new enough, then the newest JDK >= 21 among the usual install folders.
# The machine default may be an older java (Debian 12 ships 17), so nothing here trusts PATH alone.

caod_jdk_major() { # $1 = a JDK home; prints its feature version, or 0
  caod_v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" 2>/dev/null)
  if [ -z "$caod_v" ] && [ -x "$1/bin/java" ]; then
    caod_v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p')
  fi
  echo "${caod_v:-0}"
}

caod_select_jdk() { # $1 = tool the caller needs in bin/ (java or javac)
  caod_tool=${1:-java}
  caod_min=21
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/$caod_tool" ] &&
    [ "$(caod_jdk_major "$JAVA_HOME")" -ge "$caod_min" ]; then
    return 0
  fi
  caod_best="" caod_best_v=0
  caod_restore_glob=$(case $- in *f*) echo "set -f" ;; esac)
  set +f
  caod_path_java=$(command -v java 2>/dev/null || true)
  caod_path_home=""
  [ -n "$caod_path_java" ] && caod_path_home=$(dirname "$(dirname "$(readlink -f "$caod_path_java")")")
  for caod_c in $caod_path_home /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$caod_c/bin/$caod_tool" ] || continue
    caod_v=$(caod_jdk_major "$caod_c")
    if [ "$caod_v" -ge "$caod_min" ] && [ "$caod_v" -gt "$caod_best_v" ]; then
      caod_best=$caod_c caod_best_v=$caod_v
    fi
  done
  $caod_restore_glob
  if [ -z "$caod_best" ]; then
    echo "caod needs a JDK $caod_min or newer (with $caod_tool) and found none." >&2
    echo "  JAVA_HOME=${JAVA_HOME-<unset>}; searched /usr/lib/jvm, /usr/java, /opt/java, ~/.sdkman." >&2
    echo "  Install one (e.g. Eclipse Temurin 21 or 25: 'apt-get install temurin-25-jdk' from the Adoptium" >&2
    echo "  apt repository, or 'sdk install java 25-tem'), or set JAVA_HOME to a JDK >= $caod_min." >&2
    return 1
  fi
  JAVA_HOME=$caod_best
  export JAVA_HOME
}
