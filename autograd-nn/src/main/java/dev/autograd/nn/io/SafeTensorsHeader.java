package dev.autograd.nn.io;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The JSON header of a safetensors file, read by a strict streaming parser: one object of tensor entries and an
 * optional {@code __metadata__} object of strings. Every way a header can lie is an error naming the file and the
 * entry: a name given twice, a shape or offset that is not an integer in range (a fraction, or a number past 2³¹, is
 * never truncated into a plausible one), offsets that are not exactly [begin, end], a byte range that does not match
 * the shape, metadata that is not strings, and nesting beyond a small bound (so a header nested 200,000 deep is an
 * error, not a stack overflow).
 */
record SafeTensorsHeader(List<SafeTensors.Entry> entries, Map<String, String> metadata) {
  private static final int MAX_NESTING = 16;

  static SafeTensorsHeader parse(Path file, String json) throws CorruptCheckpointException {
    return new Parser(file, json).header();
  }

  private static final class Parser {
    private final Path file;
    private final JsonReader reader;

    private final String json;

    Parser(Path file, String json) {
      this.file = file;
      this.json = json.strip();
      this.reader = new JsonReader(new StringReader(this.json));
      reader.setStrictness(Strictness.STRICT);
    }

    SafeTensorsHeader header() throws CorruptCheckpointException {
      checkNesting();
      try {
        expect(JsonToken.BEGIN_OBJECT, "the header");
        reader.beginObject();
        List<SafeTensors.Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        while (reader.hasNext()) {
          String name = reader.nextName();
          if (!names.add(name)) {
            throw corrupt("the header names '" + name + "' twice");
          }
          if (name.equals(SafeTensors.METADATA)) {
            metadata = metadata();
          } else {
            entries.add(entry(name));
          }
        }
        reader.endObject();
        if (reader.peek() != JsonToken.END_DOCUMENT) {
          throw corrupt("header has bytes after its JSON object (wrong header length?)");
        }
        return new SafeTensorsHeader(entries, metadata);
      } catch (CorruptCheckpointException e) {
        throw e;
      } catch (IOException | IllegalStateException | NumberFormatException | ArithmeticException e) {
        throw corrupt("header is not valid safetensors JSON (" + e.getMessage() + ")");
      }
    }

    private Map<String, String> metadata() throws IOException {
      expect(JsonToken.BEGIN_OBJECT, "'" + SafeTensors.METADATA + "'");
      reader.beginObject();
      Map<String, String> out = new LinkedHashMap<>();
      while (reader.hasNext()) {
        String key = reader.nextName();
        expect(JsonToken.STRING, "metadata value '" + key + "'");
        if (out.put(key, reader.nextString()) != null) {
          throw corrupt("'" + SafeTensors.METADATA + "' names '" + key + "' twice");
        }
      }
      reader.endObject();
      return out;
    }

    /** Nesting past {@link #MAX_NESTING}, found by a scan before any parsing (that nests no deeper than the text). */
    private void checkNesting() throws CorruptCheckpointException {
      int depth = 0;
      boolean inString = false;
      for (int i = 0; i < json.length(); i++) {
        char c = json.charAt(i);
        if (inString) {
          if (c == '\\') {
            i++; // whatever is escaped cannot end the string
          } else if (c == '"') {
            inString = false;
          }
        } else if (c == '"') {
          inString = true;
        } else if (c == '{' || c == '[') {
          if (++depth > MAX_NESTING) {
            throw corrupt("header nests deeper than " + MAX_NESTING + " levels (at character " + i + ")");
          }
        } else if (c == '}' || c == ']') {
          depth--;
        }
      }
    }

    private SafeTensors.Entry entry(String name) throws IOException {
      expect(JsonToken.BEGIN_OBJECT, "tensor '" + name + "'");
      reader.beginObject();
      String dtype = null;
      long[] shape = null;
      long[] offsets = null;
      while (reader.hasNext()) {
        String field = reader.nextName();
        switch (field) {
          case "dtype" -> {
            expect(JsonToken.STRING, "the dtype of tensor '" + name + "'");
            dtype = reader.nextString();
          }
          case "shape" -> shape = integers(name, "shape", Integer.MAX_VALUE);
          case "data_offsets" -> offsets = integers(name, "data_offsets", Long.MAX_VALUE);
          default -> reader.skipValue(); // other writers' extra fields, which the reference reader ignores too
        }
      }
      reader.endObject();
      if (dtype == null || shape == null || offsets == null) {
        throw corrupt("tensor '" + name + "' lacks " + (dtype == null ? "'dtype'" : shape == null ? "'shape'"
            : "'data_offsets'"));
      }
      int width = SafeTensors.Entry.width(dtype);
      if (width == 0) {
        throw corrupt("tensor '" + name + "' has dtype " + dtype + "; supported: F64, F32, F16, BF16, I64 and I32");
      }
      if (offsets.length != 2 || offsets[0] > offsets[1]) {
        throw corrupt("tensor '" + name + "' has data_offsets " + Arrays.toString(offsets)
            + "; expected [begin, end] with begin <= end");
      }
      int[] dims = new int[shape.length];
      long bytes = width;
      for (int i = 0; i < dims.length; i++) {
        dims[i] = (int) shape[i];
        bytes = shape[i] != 0 && bytes > Long.MAX_VALUE / shape[i] ? Long.MAX_VALUE : bytes * shape[i];
      }
      if (bytes == Long.MAX_VALUE || offsets[1] - offsets[0] != bytes) {
        throw corrupt("tensor '" + name + "' with shape " + Arrays.toString(dims) + " needs "
            + (bytes == Long.MAX_VALUE ? "more than 2^63" : String.valueOf(bytes)) + " bytes but its offsets ["
            + offsets[0] + ", " + offsets[1] + ") span " + (offsets[1] - offsets[0]));
      }
      return new SafeTensors.Entry(name, dtype, dims, offsets[0], offsets[1]);
    }

    /** An array of non-negative JSON integers, each at most {@code max}. */
    private long[] integers(String name, String field, long max) throws IOException {
      expect(JsonToken.BEGIN_ARRAY, "'" + field + "' of tensor '" + name + "'");
      reader.beginArray();
      List<Long> values = new ArrayList<>();
      while (reader.hasNext()) {
        expect(JsonToken.NUMBER, "an entry of '" + field + "' of tensor '" + name + "'");
        String literal = reader.nextString();
        boolean integral = literal.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!integral || literal.length() > 19 || new BigDecimal(literal).compareTo(BigDecimal.valueOf(max)) > 0) {
          throw corrupt("'" + field + "' of tensor '" + name + "' has " + literal + "; expected an integer in [0, "
              + max + "]");
        }
        values.add(Long.parseLong(literal));
      }
      reader.endArray();
      return values.stream().mapToLong(Long::longValue).toArray();
    }

    private void expect(JsonToken token, String what) throws IOException {
      JsonToken actual = reader.peek();
      if (actual != token) {
        throw corrupt(what + " must be " + describe(token) + ", found " + describe(actual));
      }
    }

    private static String describe(JsonToken token) {
      return switch (token) {
        case BEGIN_OBJECT -> "a JSON object";
        case BEGIN_ARRAY -> "a JSON array";
        case STRING -> "a string";
        case NUMBER -> "a number";
        default -> token.toString().toLowerCase(Locale.ROOT).replace('_', ' ');
      };
    }

    private CorruptCheckpointException corrupt(String reason) {
      return new CorruptCheckpointException(file, reason);
    }
  }
}
