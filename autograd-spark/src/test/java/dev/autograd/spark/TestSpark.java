package dev.autograd.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * One Spark context for every test class of the module (starting one takes seconds): two local cores, and up to three
 * attempts per task ({@code local[2,3]}) so the fault tests can fail a first attempt; no UI, loopback only.
 */
final class TestSpark {
  private static SparkSession session;

  private TestSpark() {}

  static synchronized SparkSession session() {
    if (session == null) {
      SparkConf conf = new SparkConf()
          .setMaster("local[2,3]")
          .setAppName("autograd-spark-tests")
          .set("spark.ui.enabled", "false")
          .set("spark.ui.showConsoleProgress", "false")
          .set("spark.sql.shuffle.partitions", "2")
          .set("spark.driver.host", "127.0.0.1")
          .set("spark.driver.bindAddress", "127.0.0.1");
      session = SparkSession.builder().config(conf).getOrCreate();
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }

  static JavaSparkContext context() {
    return JavaSparkContext.fromSparkContext(session().sparkContext());
  }
}
