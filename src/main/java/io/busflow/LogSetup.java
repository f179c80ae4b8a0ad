package io.busflow;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * busflow's default logging, set up in code (found by logback through {@code ServiceLoader}) instead of by
 * parsing XML, which took about a third of a cold command's start-up: to standard error, busflow at INFO (or
 * {@code BUSFLOW_LOG_LEVEL}), libraries at WARN, every line with the request's correlation id.
 * {@code conf/logback.xml} says the same in XML.
 *
 * <p>Steps aside, leaving logback to its usual search, when a configuration is asked for: the
 * {@code logback.configurationFile} system property, or a {@code logback-test.xml} or {@code logback.xml} on
 * the class path (a test's, or a user's own).
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{24} [%X{cid:--}] %msg%n";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (configurationAsked(LogSetup.class.getClassLoader())) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  static boolean configurationAsked(ClassLoader loader) {
    return System.getProperty("logback.configurationFile") != null || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null;
  }

  /** Sets busflow's defaults on {@code context}. */
  static void apply(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    String level = System.getenv("BUSFLOW_LOG_LEVEL");
    context.getLogger("io.busflow").setLevel(Level.toLevel(level, Level.INFO));
    context.getLogger("com.hazelcast").setLevel(Level.WARN);
    // vertx-micrometer re-registers its gauges on purpose; Micrometer >= 1.13.9 warns about it
    // (vert-x3/vertx-micrometer-metrics#259, harmless)
    context.getLogger("io.micrometer.core.instrument.MeterRegistry").setLevel(Level.ERROR);
  }
}
