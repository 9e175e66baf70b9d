//! `pom.xml`: a minimal, conventional Maven build of the exported program against Flink 2.3. Flink's jars are
//! `provided` (a cluster has them in its `lib/`): `mvn package` builds a small jar with its main class in the
//! manifest for `flink run`, and `mvn exec:java` runs it locally with them on the classpath.

/// The Flink release the program is written and checked against (`tools/flink-export-job`).
pub(super) const FLINK_VERSION: &str = "2.3.0";

pub(super) fn pom() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- StateLab's keyed counter job for Apache Flink, exported by statelab export-job. See README.md. -->
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
    <modelVersion>4.0.0</modelVersion>

    <groupId>statelab</groupId>
    <artifactId>statelab-job</artifactId>
    <version>1.0</version>
    <packaging>jar</packaging>

    <properties>
        <flink.version>{FLINK_VERSION}</flink.version>
        <!-- The Log4j 2 release Flink {FLINK_VERSION} ships in its lib/ folder. -->
        <log4j.version>2.25.3</log4j.version>
        <maven.compiler.release>11</maven.compiler.release>
        <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
        <main.class>statelab.job.StateLabJob</main.class>
    </properties>

    <dependencies>
        <!-- Flink itself is "provided": a Flink cluster has these jars in its lib/ folder, so the job's jar
             leaves them out. mvn exec:java puts them on the classpath for a local run. -->
        <dependency>
            <groupId>org.apache.flink</groupId>
            <artifactId>flink-streaming-java</artifactId>
            <version>${{flink.version}}</version>
            <scope>provided</scope>
        </dependency>
        <dependency>
            <groupId>org.apache.flink</groupId>
            <artifactId>flink-clients</artifactId>
            <version>${{flink.version}}</version>
            <scope>provided</scope>
        </dependency>
        <!-- DataGeneratorSource; part of Flink's distribution (flink-dist) too. -->
        <dependency>
            <groupId>org.apache.flink</groupId>
            <artifactId>flink-connector-datagen</artifactId>
            <version>${{flink.version}}</version>
            <scope>provided</scope>
        </dependency>
        <!-- Logging for a local run (src/main/resources/log4j2.properties); a cluster brings its own. -->
        <dependency>
            <groupId>org.apache.logging.log4j</groupId>
            <artifactId>log4j-slf4j-impl</artifactId>
            <version>${{log4j.version}}</version>
            <scope>provided</scope>
        </dependency>
        <dependency>
            <groupId>org.apache.logging.log4j</groupId>
            <artifactId>log4j-core</artifactId>
            <version>${{log4j.version}}</version>
            <scope>provided</scope>
        </dependency>
    </dependencies>

    <build>
        <plugins>
            <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-compiler-plugin</artifactId>
                <version>3.13.0</version>
            </plugin>
            <!-- mvn package: target/statelab-job-1.0.jar, whose manifest names the main class for flink run. -->
            <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-jar-plugin</artifactId>
                <version>3.4.2</version>
                <configuration>
                    <archive>
                        <manifest>
                            <mainClass>${{main.class}}</mainClass>
                        </manifest>
                    </archive>
                </configuration>
            </plugin>
            <!-- mvn compile exec:java: a local run in Flink's MiniCluster, with the "provided" jars. -->
            <plugin>
                <groupId>org.codehaus.mojo</groupId>
                <artifactId>exec-maven-plugin</artifactId>
                <version>3.5.0</version>
                <configuration>
                    <mainClass>${{main.class}}</mainClass>
                    <classpathScope>compile</classpathScope>
                </configuration>
            </plugin>
        </plugins>
    </build>
</project>
"#
    )
}

/// `src/main/resources/log4j2.properties`: warnings and errors only, on stderr, so that a local run's output is
/// the counts.
pub(super) const LOG4J2_PROPERTIES: &str = "\
# Logging of a local run (mvn exec:java): warnings and errors on stderr. A Flink cluster uses its own.
rootLogger.level = WARN
rootLogger.appenderRef.console.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d %-5p %c{1} - %m%n
# Warnings a local run always gives and that say nothing about the job: no delegation tokens, no log file for the
# web UI, and the collect client asking the MiniCluster that has just shut down for the finished job's status
# (\"Some data might be lost\": the results were all in by then).
logger.tokens.name = org.apache.flink.runtime.security.token.DefaultDelegationTokenManager
logger.tokens.level = ERROR
logger.web.name = org.apache.flink.runtime.webmonitor.WebMonitorUtils
logger.web.level = ERROR
logger.collect.name = org.apache.flink.streaming.api.operators.collect.CollectResultFetcher
logger.collect.level = ERROR
";
