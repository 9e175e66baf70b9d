# Sourced by the tools/flink-*/run.sh scripts: real Apache Flink 2.3.0 on this machine, from PyPI (the
# apache-flink-libraries wheel) — no download from anywhere else. Java 17 must be on PATH.
#
#   . "$root/tools/flink-lib.sh"   then   flink_compile CLASSES_DIR FILE.java ...   and   java -cp "$CLASSES:$FLINK_LIB/*"
# Sets FLINK_WORK (.tools/flink) and FLINK_LIB (Flink's jars), installing the jars the first time.
FLINK_WORK="$root/.tools/flink"
FLINK_LIB="$FLINK_WORK/libs/pyflink/lib"
if [ ! -f "$FLINK_LIB/flink-dist-2.3.0.jar" ]; then
  mkdir -p "$FLINK_WORK"
  python3 -m pip download --no-deps --quiet apache-flink-libraries==2.3.0 -d "$FLINK_WORK/dl"
  unzip -q -o "$FLINK_WORK"/dl/apache_flink_libraries-2.3.0-*.whl -d "$FLINK_WORK/libs"
fi

# Compiles Java sources against Flink's jars into a directory (created if missing).
flink_compile() {
  local classes="$1"; shift
  mkdir -p "$classes"
  javac -nowarn -d "$classes" -cp "$FLINK_LIB/*" "$@"
}

# Writes a log4j2 configuration that logs at LEVEL (to stderr), and prints its path for -Dlog4j.configurationFile.
flink_log4j() {
  local level="$1" file="$FLINK_WORK/log4j2-$1.properties"
  cat > "$file" <<PROPS
rootLogger.level = $level
rootLogger.appenderRef.console.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d %-5p %c{1} - %m%n
PROPS
  echo "$file"
}
