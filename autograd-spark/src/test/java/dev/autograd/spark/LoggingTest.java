package dev.autograd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Spark brings Log4j 2 and its SLF4J provider; this module's class path swaps them for Logback, so there must be
 * exactly one SLF4J provider, and Spark's Log4j 2 API calls must reach it.
 */
class LoggingTest {
  @Test
  void exactlyOneSlf4jProviderAndItIsLogback() throws Exception {
    TestSpark.session(); // whatever Spark loads at start-up is loaded
    List<SLF4JServiceProvider> providers = ServiceLoader.load(SLF4JServiceProvider.class).stream()
        .map(ServiceLoader.Provider::get).toList();
    assertEquals(1, providers.size(), "SLF4J providers: " + providers);
    assertEquals("ch.qos.logback.classic.spi.LogbackServiceProvider", providers.get(0).getClass().getName());
    assertEquals(LoggerContext.class, LoggerFactory.getILoggerFactory().getClass());
    // no SLF4J 1.x binding either (it would be ignored, with a warning, by SLF4J 2)
    assertEquals(List.of(), Collections.list(getClass().getClassLoader()
        .getResources("org/slf4j/impl/StaticLoggerBinder.class")));
    // Log4j 2's SLF4J provider is excluded (log4j-core stays: Spark's classes link against it)
    assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.logging.slf4j.Log4jLoggerFactory"));
  }

  @Test
  void log4jApiCallsReachLogback() {
    Logger target = (Logger) LoggerFactory.getLogger("dev.autograd.spark.LoggingTest.bridge");
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    target.addAppender(appender);
    target.setAdditive(false); // captured here, not printed on the console
    try {
      LogManager.getLogger("dev.autograd.spark.LoggingTest.bridge").warn("through log4j-to-slf4j");
      assertEquals(1, appender.list.size());
      assertEquals("through log4j-to-slf4j", appender.list.get(0).getFormattedMessage());
    } finally {
      target.detachAppender(appender);
      target.setAdditive(true);
    }
    assertTrue(LogManager.getContext().getClass().getName().startsWith("org.apache.logging.slf4j"),
        LogManager.getContext().getClass().getName());
  }
}
