package dev.autograd.nn.data;

import static com.google.common.base.Preconditions.checkArgument;

import dev.autograd.array.NDArray;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * A numeric table read from a CSV file with a header row, held column by column. Immutable: the transformations
 * ({@link #select}, {@link #drop}, {@link #oneHot}, {@link #standardize}, {@link #rows}) return new tables.
 */
public final class CsvTable {
  private final Map<String, double[]> columns;
  private final int rows;

  private CsvTable(Map<String, double[]> columns, int rows) {
    this.columns = columns;
    this.rows = rows;
  }

  /** Reads every column; each cell must be a number. */
  public static CsvTable read(Path file) throws IOException {
    return read(file, Set.of());
  }

  /**
   * Reads all columns except {@code skip} (e.g. dates or ids); the rest must be numeric: decimal numbers as pandas
   * reads them, plus NaN and ±inf (not Java-only spellings such as {@code 3f} or {@code 0x1p4}). Quoted fields, CRLF
   * line ends and a UTF-8 byte-order mark are accepted.
   *
   * @throws DataFormatException naming the file, line and column, for a non-numeric cell, a short row, a duplicate
   *     column name, an unterminated quote or bytes that are not UTF-8
   */
  public static CsvTable read(Path file, Set<String> skip) throws IOException {
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
        .setIgnoreEmptyLines(true).setDuplicateHeaderMode(DuplicateHeaderMode.DISALLOW).build();
    checkUtf8(file);
    try (java.io.BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      in.mark(1);
      if (in.read() != '\uFEFF') { // a byte-order mark is not part of the first column's name
        in.reset();
      }
      CSVParser parser;
      try {
        parser = CSVParser.parse(in, format);
      } catch (IllegalArgumentException e) { // commons-csv reports a duplicate header name this way
        throw new DataFormatException(file, "line 1", "bad header: " + e.getMessage());
      } catch (IOException | java.io.UncheckedIOException e) {
        throw new DataFormatException(file, "line 1", "malformed CSV header (" + e.getMessage() + ")");
      }
      try (parser) {
        return read(file, skip, parser);
      } catch (java.io.UncheckedIOException e) { // the record iterator's way of reporting malformed input
        throw malformed(file, parser, e.getCause());
      }
    }
  }

  /**
   * Decodes the whole file as UTF-8 first, so that a bad byte is reported with its line and offset (a reader decodes
   * ahead of the parser, which could not tell where it was).
   */
  private static void checkUtf8(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(8192);
    java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    while (true) {
      java.nio.charset.CoderResult r = decoder.decode(in, out, true);
      if (r.isError()) {
        int at = in.position();
        int line = 1;
        for (int i = 0; i < at; i++) {
          line += bytes[i] == '\n' ? 1 : 0;
        }
        throw new DataFormatException(file, "line " + line + ", byte offset " + at,
            "not valid UTF-8 text (save the file as UTF-8)");
      }
      out.clear();
      if (r.isUnderflow()) {
        return;
      }
    }
  }

  /** Malformed CSV found while reading records (the bytes are valid UTF-8: {@link #checkUtf8} ran first). */
  private static DataFormatException malformed(Path file, CSVParser parser, Throwable cause) {
    return new DataFormatException(file, "line " + Math.max(1, parser.getCurrentLineNumber()),
        "malformed CSV (" + (cause == null ? "unknown" : cause.getMessage()) + ")");
  }

  /** A decimal number as pandas reads it, or NaN / inf / infinity in any case with an optional sign. */
  private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile(
      "[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|(?i)[+-]?(nan|inf|infinity)");

  private static double parseNumber(String cell) {
    if (!NUMBER.matcher(cell).matches()) {
      throw new NumberFormatException(cell);
    }
    String lower = cell.toLowerCase(java.util.Locale.ROOT);
    if (lower.endsWith("nan")) {
      return Double.NaN;
    }
    if (lower.endsWith("inf") || lower.endsWith("infinity")) {
      return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return Double.parseDouble(cell);
  }

  private static CsvTable read(Path file, Set<String> skip, CSVParser parser) throws IOException {
    List<String> header = parser.getHeaderNames();
    if (header.isEmpty()) {
      throw new DataFormatException(file, "line 1", "no header row");
    }
    Set<String> unknown = new TreeSet<>(skip);
    unknown.removeAll(header);
    if (!unknown.isEmpty()) {
      throw new DataFormatException(file, "header", "columns to skip " + unknown + " are not in " + header);
    }
    List<String> kept = new ArrayList<>();
    for (String h : header) {
      if (!skip.contains(h)) {
        kept.add(h);
      }
    }
    List<double[]> data = new ArrayList<>();
    for (CSVRecord record : parser) {
      long line = parser.getCurrentLineNumber();
      if (record.size() != header.size()) {
        throw new DataFormatException(file, "line " + line,
            "expected " + header.size() + " fields like the header, found " + record.size());
      }
      double[] row = new double[kept.size()];
      for (int c = 0; c < kept.size(); c++) {
        String cell = record.get(kept.get(c));
        try {
          row[c] = parseNumber(cell);
        } catch (NumberFormatException e) {
          throw new DataFormatException(file, "line " + line + ", column '" + kept.get(c) + "'",
              "'" + cell + "' is not a number");
        }
      }
      data.add(row);
    }
    Map<String, double[]> cols = new LinkedHashMap<>();
    for (int c = 0; c < kept.size(); c++) {
      double[] col = new double[data.size()];
      for (int r = 0; r < col.length; r++) {
        col[r] = data.get(r)[c];
      }
      cols.put(kept.get(c), col);
    }
    return new CsvTable(cols, data.size());
  }

  /** A table from named columns of equal length. */
  public static CsvTable of(Map<String, double[]> columns) {
    int n = columns.isEmpty() ? 0 : columns.values().iterator().next().length;
    Map<String, double[]> copy = new LinkedHashMap<>();
    columns.forEach((k, v) -> {
      checkArgument(v.length == n, "CsvTable.of: column '%s' has %s rows, expected %s", k, v.length, n);
      copy.put(k, v.clone());
    });
    return new CsvTable(copy, n);
  }

  public int rowCount() {
    return rows;
  }

  public List<String> columnNames() {
    return List.copyOf(columns.keySet());
  }

  /** A copy of one column. */
  public double[] column(String name) {
    return require(name).clone();
  }

  private double[] require(String name) {
    double[] c = columns.get(name);
    checkArgument(c != null, "CsvTable: no column '%s' (columns: %s)", name, columns.keySet());
    return c;
  }

  /** Only these columns, in this order. */
  public CsvTable select(String... names) {
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String n : names) {
      out.put(n, require(n));
    }
    return new CsvTable(out, rows);
  }

  /** All columns except these. */
  public CsvTable drop(String... names) {
    Map<String, double[]> out = new LinkedHashMap<>(columns);
    for (String n : names) {
      require(n);
      out.remove(n);
    }
    return new CsvTable(out, rows);
  }

  /** Rows [from, to). */
  public CsvTable rows(int from, int to) {
    checkArgument(0 <= from && from <= to && to <= rows, "CsvTable.rows: [%s, %s) outside [0, %s)", from, to, rows);
    Map<String, double[]> out = new LinkedHashMap<>();
    columns.forEach((k, v) -> out.put(k, Arrays.copyOfRange(v, from, to)));
    return new CsvTable(out, to - from);
  }

  /**
   * Replaces a categorical column by one 0/1 column per distinct value, named {@code column_value} (values in
   * ascending order, integers printed without a decimal point), placed where the column was.
   */
  public CsvTable oneHot(String column) {
    double[] values = require(column);
    double[] distinct = Arrays.stream(values).distinct().sorted().toArray();
    Map<String, double[]> out = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : columns.entrySet()) {
      if (!e.getKey().equals(column)) {
        out.put(e.getKey(), e.getValue());
        continue;
      }
      for (double d : distinct) {
        double[] indicator = new double[rows];
        for (int r = 0; r < rows; r++) {
          indicator[r] = values[r] == d ? 1.0 : 0.0;
        }
        out.put(column + "_" + (d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d)), indicator);
      }
    }
    return new CsvTable(out, rows);
  }

  /** Per-column mean and standard deviation used by {@link #standardize}, to undo the scaling of predictions. */
  public record Scaling(double mean, double std) {
    public double restore(double standardized) {
      return standardized * std + mean;
    }
  }

  /** A table with the given columns standardized, and the scalings applied. */
  public record Standardized(CsvTable table, Map<String, Scaling> scalings) {}

  /**
   * (x − mean) / std for each named column, with the sample standard deviation (n − 1, as pandas computes it).
   *
   * @throws IllegalArgumentException for a constant column (std 0)
   */
  public Standardized standardize(String... names) {
    Map<String, double[]> out = new LinkedHashMap<>(columns);
    Map<String, Scaling> scalings = new LinkedHashMap<>();
    for (String n : names) {
      double[] c = require(n);
      double mean = Arrays.stream(c).average().orElse(0);
      double var = Arrays.stream(c).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, c.length - 1);
      double std = Math.sqrt(var);
      checkArgument(std > 0, "standardize: column '%s' is constant", n);
      out.put(n, Arrays.stream(c).map(x -> (x - mean) / std).toArray());
      scalings.put(n, new Scaling(mean, std));
    }
    return new Standardized(new CsvTable(out, rows), scalings);
  }

  /** The named columns (all, if none named) as a {@code [rows, columns]} array. */
  public NDArray toArray(String... names) {
    List<String> cols = names.length == 0 ? columnNames() : List.of(names);
    double[] flat = new double[rows * cols.size()];
    for (int c = 0; c < cols.size(); c++) {
      double[] col = require(cols.get(c));
      for (int r = 0; r < rows; r++) {
        flat[r * cols.size() + c] = col[r];
      }
    }
    return NDArray.fromFlat(flat, rows, cols.size());
  }
}
