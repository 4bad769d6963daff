package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.nn.data.CsvTable;
import dev.autograd.nn.data.DataFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed CSV files: each a DataFormatException with the file, the line and the reason. */
class CsvHardeningTest {
  @TempDir
  Path dir;

  private Path csv(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    return p;
  }

  private Path csv(String name, String content) throws IOException {
    return csv(name, content.getBytes(StandardCharsets.UTF_8));
  }

  private static void rejected(Path file, String... fragments) {
    DataFormatException e = assertThrows(DataFormatException.class, () -> CsvTable.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    for (String f : fragments) {
      assertTrue(e.getMessage().contains(f), () -> "'" + f + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void malformedFilesNameTheFileAndLine() throws IOException {
    rejected(csv("quote.csv", "a,b\n1,2\n3,\"4\n5,6\n"), "malformed CSV");
    byte[] bad = "a,b\n1,2\n3,\u00e9\n".getBytes(StandardCharsets.ISO_8859_1); // 0xE9 alone is not UTF-8
    rejected(csv("latin1.csv", bad), "line 3", "UTF-8");
    rejected(csv("dup.csv", "a,b,a\n1,2,3\n"), "line 1", "a");
    rejected(csv("short.csv", "a,b\n1,2\n3\n"), "line 3", "expected 2 fields");
  }

  @Test
  void onlyNumbersAsPandasReadsThemAreNumbers() throws IOException {
    rejected(csv("f.csv", "a\n3f\n"), "line 2", "'3f' is not a number");
    rejected(csv("hex.csv", "a\n0x1p4\n"), "'0x1p4'");
    rejected(csv("d.csv", "a\n2d\n"), "'2d'");
    CsvTable t = CsvTable.read(csv("ok.csv", "a\n1\n-2.5\n.5\n1e3\n+7.\nNaN\n-inf\n"));
    assertArrayEquals(new double[] {1, -2.5, 0.5, 1000, 7, Double.NaN, Double.NEGATIVE_INFINITY}, t.column("a"), 0.0);
  }

  @Test
  void aByteOrderMarkIsNotPartOfTheFirstColumnName() throws IOException {
    byte[] withBom = ("\uFEFFx,y\n1,2\n").getBytes(StandardCharsets.UTF_8);
    CsvTable t = CsvTable.read(csv("bom.csv", withBom));
    assertEquals(List.of("x", "y"), t.columnNames());
  }
}
