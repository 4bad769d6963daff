package dev.autograd.openblas;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autograd.array.Gemm;
import dev.autograd.array.Gemms;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The bundled library is found through the service registration and used ahead of whatever the host has: CI runs this
 * once more with the system BLAS hidden ({@code -Ddev.ludovic.netlib.blas.nativeLibPath=/nonexistent/...}), and the
 * bundled OpenBLAS must load either way.
 */
class BundledOpenBlasTest {
  @Test
  void coreFindsAndUsesTheBundledLibrary() {
    assumeTrue(System.getProperty("os.name").startsWith("Linux") && System.getProperty("os.arch").equals("amd64"),
        "this module's pom brings the linux-x86_64 build only");
    Gemm nat = Gemms.nativeOrNull();
    assertNotNull(nat, "no native BLAS loaded although autograd-openblas is on the class path");
    assertTrue(nat.name().contains("bundled"), nat.name());
    assertTrue(Gemms.current().name().contains("bundled"), Gemms.current().name());
  }

  @Test
  void productsAgreeWithThePureJavaKernel() {
    assumeTrue(Gemms.nativeOrNull() != null, "no native library on this platform");
    Gemm nat = Gemms.nativeOrNull();
    Gemm java = Gemms.pureJava();
    SplittableRandom rng = new SplittableRandom(3);
    int m = 67;
    int n = 129;
    int k = 300;
    for (int flags = 0; flags < 4; flags++) {
      boolean ta = (flags & 1) != 0;
      boolean tb = (flags & 2) != 0;
      double[] a = random(rng, m * k);
      double[] b = random(rng, k * n);
      double[] c1 = random(rng, m * n);
      double[] c2 = c1.clone();
      nat.gemm(ta, tb, m, n, k, 0.5, a, 0, ta ? m : k, b, 0, tb ? k : n, 2.0, c1, 0, n);
      java.gemm(ta, tb, m, n, k, 0.5, a, 0, ta ? m : k, b, 0, tb ? k : n, 2.0, c2, 0, n);
      double worst = 0;
      double scale = 0;
      for (int i = 0; i < c1.length; i++) {
        worst = Math.max(worst, Math.abs(c1[i] - c2[i]));
        scale = Math.max(scale, Math.abs(c1[i]));
      }
      assertTrue(worst <= 1e-12 * scale, "ta=" + ta + " tb=" + tb + ": max difference " + worst + " of " + scale);
    }
  }

  private static double[] random(SplittableRandom rng, int n) {
    double[] d = new double[n];
    for (int i = 0; i < n; i++) {
      d[i] = rng.nextDouble(-1, 1);
    }
    return d;
  }
}
