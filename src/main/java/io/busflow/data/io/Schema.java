package io.busflow.data.io;

import io.busflow.data.ColumnType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The ordered columns of a data file: a name and a {@link ColumnType} each. Immutable; names are unique
 * and non-empty.
 *
 * <p>A reader infers the schema from a sample of the first rows (see {@link ReadOptions#sampleRows()}):
 * a column whose non-empty values are all {@code true}/{@code false} in any case is {@code BOOLEAN}; a
 * column whose non-empty values are mostly (more than half) finite numbers is {@code NUMERIC}
 * ({@code NaN}/{@code nan} count as numbers and are read as missing; {@code 0}/{@code 1} columns stay
 * numeric) — its other values ({@code Infinity}, {@code 1e309}, {@code "1,000"}, full-width digits, a
 * repeated header line) are bad rows when read, each named by its line and value, which
 * {@code badRows: skip} skips; anything else, and a column with no value at all in the sample, is
 * {@code STRING}. {@link #reason(String)} names the value and line that decided each inferred type. A
 * declared schema overrides inference column by column ({@link ReadOptions#withSchema(Schema)}).
 */
public final class Schema {

  /** One column: its name and type. */
  public record Field(String name, ColumnType type) {
    public Field {
      if (name == null || name.isEmpty()) {
        throw new IllegalArgumentException("a schema column needs a non-empty name");
      }
      Objects.requireNonNull(type, "type");
    }
  }

  private final List<Field> fields;
  private final Map<String, Integer> positions;
  private final Map<String, String> reasons;

  private Schema(List<Field> fields) {
    this(fields, Map.of());
  }

  private Schema(List<Field> fields, Map<String, String> reasons) {
    this.reasons = Map.copyOf(reasons);
    this.fields = List.copyOf(fields);
    this.positions = new HashMap<>();
    for (int i = 0; i < this.fields.size(); i++) {
      String name = this.fields.get(i).name();
      if (positions.put(name, i) != null) {
        throw new IllegalArgumentException("column '" + name + "' appears twice in the schema");
      }
    }
  }

  /** A schema of the given fields, in order; fails when a name repeats. */
  public static Schema of(List<Field> fields) {
    return new Schema(fields);
  }

  /** A schema from alternating names and types: {@code Schema.of("x", NUMERIC, "city", STRING)}. */
  public static Schema of(Object... namesAndTypes) {
    if (namesAndTypes.length % 2 != 0) {
      throw new IllegalArgumentException("Schema.of takes name, type pairs");
    }
    List<Field> out = new ArrayList<>();
    for (int i = 0; i < namesAndTypes.length; i += 2) {
      out.add(new Field((String) namesAndTypes[i], (ColumnType) namesAndTypes[i + 1]));
    }
    return new Schema(out);
  }

  /** This schema, with {@code reasons} saying why each column has its type (see {@link #reason}). */
  public Schema withReasons(Map<String, String> reasons) {
    return new Schema(fields, reasons);
  }

  /**
   * Why column {@code name} has its type — {@code declared}, or for an inferred type the sampled value and
   * line that decided it ({@code text: line 7: 'abc' is not a number}) — or null when not known.
   */
  public String reason(String name) {
    return reasons.get(name);
  }

  public List<Field> fields() {
    return fields;
  }

  public int size() {
    return fields.size();
  }

  public Field field(int position) {
    return fields.get(position);
  }

  public List<String> names() {
    List<String> out = new ArrayList<>(fields.size());
    for (Field f : fields) {
      out.add(f.name());
    }
    return out;
  }

  /** The position of {@code name}, or {@code -1} when the schema has no such column. */
  public int indexOf(String name) {
    Integer i = positions.get(name);
    return i == null ? -1 : i;
  }

  /** The type of {@code name}; fails naming the columns there are when it is absent. */
  public ColumnType type(String name) {
    int i = indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("no column '" + name + "' in schema; columns are " + names());
    }
    return fields.get(i).type();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema s && fields.equals(s.fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Schema[");
    for (int i = 0; i < fields.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(fields.get(i).name()).append(':').append(fields.get(i).type());
    }
    return sb.append(']').toString();
  }
}
