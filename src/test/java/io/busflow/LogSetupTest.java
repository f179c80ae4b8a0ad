package io.busflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/** busflow's logging defaults, set in code: the same as conf/logback.xml, and out of the way of a configuration asked for. */
class LogSetupTest {

  @Test
  void defaults_busflowAtInfoLibrariesAtWarn_toStandardErrorWithTheCorrelationId() {
    LoggerContext context = new LoggerContext();
    LogSetup.apply(context);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.WARN, root.getLevel());
    assertEquals(System.getenv("BUSFLOW_LOG_LEVEL") == null ? Level.INFO : Level.toLevel(System.getenv("BUSFLOW_LOG_LEVEL")),
        context.getLogger("io.busflow").getLevel());
    assertEquals(Level.WARN, context.getLogger("com.hazelcast").getLevel());
    ConsoleAppender<?> stderr = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDERR"));
    assertEquals("System.err", stderr.getTarget());
    assertTrue(stderr.isStarted());
    String pattern = ((PatternLayoutEncoder) stderr.getEncoder()).getPattern();
    assertTrue(pattern.contains("%X{cid:--}"), pattern);
  }

  @Test
  void aLogbackFileOnTheClassPath_orAsked_isLeftToLogback() {
    assertTrue(LogSetup.configurationAsked(LogSetupTest.class.getClassLoader()), "the tests' logback-test.xml");
    ClassLoader bare = new URLClassLoader(new URL[0], null);
    assertEquals(System.getProperty("logback.configurationFile") != null, LogSetup.configurationAsked(bare));
    assertFalse(bare.getResource("logback.xml") != null);
  }
}
