package dev.autograd.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autograd.array.DType;
import dev.autograd.array.NDArray;
import dev.autograd.nn.data.Batch;
import dev.autograd.nn.data.CsvTable;
import dev.autograd.nn.data.DataFormatException;
import dev.autograd.nn.data.DataLoader;
import dev.autograd.nn.data.Idx;
import dev.autograd.nn.data.TensorDataset;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {
  @TempDir
  Path dir;

  private static TensorDataset numbers(int n) {
    return new TensorDataset(NDArray.arange(n).reshape(n, 1), NDArray.arange(n));
  }

  private static List<int[]> epoch(DataLoader loader) {
    List<int[]> out = new ArrayList<>();
    for (Batch b : loader) {
      out.add(b.labels());
    }
    return out;
  }

  @Test
  void loaderCoversEverySampleOncePerEpochAndReshuffles() {
    DataLoader loader = DataLoader.builder(numbers(10)).batchSize(4).shuffle(true).seed(7).build();
    List<int[]> first = epoch(loader);
    assertEquals(3, first.size());
    assertEquals(2, first.get(2).length);
    int[] seen = first.stream().flatMapToInt(Arrays::stream).sorted().toArray();
    assertArrayEquals(NDArray.arange(10).toArray(), Arrays.stream(seen).asDoubleStream().toArray());
    List<int[]> second = epoch(loader);
    assertNotEquals(Arrays.deepToString(first.toArray()), Arrays.deepToString(second.toArray()), "reshuffled");
    DataLoader again = DataLoader.builder(numbers(10)).batchSize(4).shuffle(true).seed(7).build();
    assertEquals(Arrays.deepToString(first.toArray()), Arrays.deepToString(epoch(again).toArray()), "same seed");
  }

  @Test
  void dropLastAndNoShuffle() {
    DataLoader loader = DataLoader.builder(numbers(10)).batchSize(4).dropLast(true).build();
    List<int[]> batches = epoch(loader);
    assertEquals(2, batches.size());
    assertArrayEquals(new int[] {0, 1, 2, 3}, batches.get(0));
    assertArrayEquals(new int[] {4, 5, 6, 7}, batches.get(1));
    Batch b = DataLoader.builder(numbers(5)).batchSize(2).build().iterator().next();
    assertArrayEquals(new int[] {2, 1}, b.inputs().shape());
  }

  @Test
  void aDatasetConvertedToFloat32GivesFloat32Batches() {
    TensorDataset wide = numbers(6);
    TensorDataset single = wide.to(DType.FLOAT32);
    assertEquals(DType.FLOAT32, single.features().dtype());
    assertEquals(DType.FLOAT32, single.targets().dtype());
    assertTrue(single == single.to(DType.FLOAT32), "no copy when already float32");
    Batch b = DataLoader.builder(single).batchSize(4).shuffle(true).seed(3).build().iterator().next();
    Batch b64 = DataLoader.builder(wide).batchSize(4).shuffle(true).seed(3).build().iterator().next();
    assertEquals(DType.FLOAT32, b.inputs().dtype());
    assertEquals(DType.FLOAT32, b.targets().dtype());
    assertArrayEquals(b64.labels(), b.labels());
  }

  @Test
  void csvWithHeaderQuotesAndCrlf() throws IOException {
    Path csv = dir.resolve("t.csv");
    Files.writeString(csv, "id,date,x,\"y\"\r\n1,2011-01-01,0.5,3\r\n2,2011-01-02,-1.5,\"4\"\r\n\r\n");
    CsvTable t = CsvTable.read(csv, Set.of("date"));
    assertEquals(List.of("id", "x", "y"), t.columnNames());
    assertEquals(2, t.rowCount());
    assertArrayEquals(new double[] {0.5, -1.5}, t.column("x"));
    assertArrayEquals(new double[] {1, 0.5, 3, 2, -1.5, 4}, t.toArray().toArray());
    assertArrayEquals(new double[] {0.5, 3, -1.5, 4}, t.drop("id").toArray().toArray());
  }

  @Test
  void csvErrorsNameFileLineAndColumn() throws IOException {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "a,b\n1,2\n3,oops\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> CsvTable.read(csv));
    assertTrue(e.getMessage().contains("bad.csv") && e.getMessage().contains("line 3")
        && e.getMessage().contains("'b'") && e.getMessage().contains("'oops' is not a number"), e.getMessage());
    Path ragged = dir.resolve("ragged.csv");
    Files.writeString(ragged, "a,b\n1,2\n3\n");
    DataFormatException r = assertThrows(DataFormatException.class, () -> CsvTable.read(ragged));
    assertTrue(r.getMessage().contains("line 3") && r.getMessage().contains("expected 2 fields"), r.getMessage());
    assertThrows(DataFormatException.class, () -> CsvTable.read(csv, Set.of("nope")));
  }

  @Test
  void oneHotAndStandardize() {
    CsvTable t = CsvTable.of(new java.util.LinkedHashMap<>(java.util.Map.of("season", new double[] {1, 3, 1, 2})));
    CsvTable hot = t.oneHot("season");
    assertEquals(List.of("season_1", "season_2", "season_3"), hot.columnNames());
    assertArrayEquals(new double[] {1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0}, hot.toArray().toArray());
    CsvTable.Standardized s = CsvTable.of(new java.util.LinkedHashMap<>(java.util.Map.of("x", new double[] {1, 2, 3})))
        .standardize("x");
    assertArrayEquals(new double[] {-1, 0, 1}, s.table().column("x"), 1e-15);
    assertEquals(2.0, s.scalings().get("x").mean());
    assertEquals(1.0, s.scalings().get("x").std());
    assertEquals(3.0, s.scalings().get("x").restore(1.0));
  }

  private static byte[] idx(int type, int[] dims, byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt((type << 8) | dims.length);
    for (int d : dims) {
      out.writeInt(d);
    }
    out.write(data);
    return bytes.toByteArray();
  }

  @Test
  void idxRawAndGzip() throws IOException {
    byte[] images = new byte[2 * 2 * 3];
    for (int i = 0; i < images.length; i++) {
      images[i] = (byte) (i * 20);
    }
    Path raw = dir.resolve("images-idx3-ubyte");
    Files.write(raw, idx(0x08, new int[] {2, 2, 3}, images));
    Path gz = dir.resolve("images-idx3-ubyte.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(raw));
    }
    for (Path p : List.of(raw, gz)) {
      Idx.Images read = Idx.readImages(p);
      assertArrayEquals(new int[] {2, 6}, read.pixels().shape());
      assertEquals(220 / 255.0, read.pixels().get(1, 5), 1e-15);
    }
    Path labels = dir.resolve("labels");
    Files.write(labels, idx(0x08, new int[] {3}, new byte[] {7, 0, (byte) 9}));
    assertArrayEquals(new int[] {7, 0, 9}, Idx.readLabels(labels));
  }

  @Test
  void idxRejectsBadMagicAndTruncation() throws IOException {
    Path bad = dir.resolve("bad");
    Files.write(bad, new byte[] {0x12, 0x34, 0x08, 0x01, 0, 0, 0, 1, 5});
    DataFormatException m = assertThrows(DataFormatException.class, () -> Idx.read(bad));
    assertTrue(m.getMessage().contains("bad magic number 0x12340801") && m.getMessage().contains("offset 0"),
        m.getMessage());
    Path truncated = dir.resolve("truncated");
    Files.write(truncated, idx(0x08, new int[] {4}, new byte[] {1, 2}));
    DataFormatException t = assertThrows(DataFormatException.class, () -> Idx.read(truncated));
    assertTrue(t.getMessage().contains("truncated") && t.getMessage().contains("offset 10")
        && t.getMessage().contains("only 2 bytes"), t.getMessage());
    Path wrongKind = dir.resolve("labels-as-images");
    Files.write(wrongKind, idx(0x08, new int[] {3}, new byte[] {1, 2, 3}));
    assertThrows(DataFormatException.class, () -> Idx.readImages(wrongKind));
  }
}
