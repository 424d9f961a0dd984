package dev.keyline.emulators.snowflake;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A statement's answer in Snowflake's JSON result format: {@code rowtype} (column metadata) and
 * {@code rowset} (every value a string or null), plus the session state after it ran.
 */
record QueryResult(List<Column> columns, List<List<String>> rows, long statementTypeId) {

  static final String STATUS_OK = "Statement executed successfully.";

  static QueryResult status(long statementTypeId, boolean withRow) {
    return new QueryResult(
        List.of(Column.text("status")),
        withRow ? List.of(List.of(STATUS_OK)) : List.of(),
        statementTypeId);
  }

  ArrayNode rowtype() {
    ArrayNode rowtype = Json.array();
    columns.forEach(c -> rowtype.add(c.toJson()));
    return rowtype;
  }

  ArrayNode rowset() {
    ArrayNode rowset = Json.array();
    for (List<String> row : rows) {
      ArrayNode values = rowset.addArray();
      row.forEach(values::add);
    }
    return rowset;
  }

  /** Result column metadata as the driver reads it ({@code SnowflakeColumnMetadata}). */
  record Column(String name, String type, boolean nullable, Integer length, Integer precision, Integer scale) {

    static final int MAX_TEXT = 16_777_216;

    static Column text(String name) {
      return new Column(name, "text", true, MAX_TEXT, null, null);
    }

    static Column number(String name, int precision) {
      return new Column(name, "fixed", false, null, precision, 0);
    }

    static Column timestampLtz(String name) {
      return new Column(name, "timestamp_ltz", true, null, 0, 3);
    }

    ObjectNode toJson() {
      ObjectNode node = Json.object();
      node.put("name", name);
      node.put("database", "");
      node.put("schema", "");
      node.put("table", "");
      node.put("type", type);
      node.put("nullable", nullable);
      putOrNull(node, "length", length);
      putOrNull(node, "byteLength", length);
      putOrNull(node, "precision", precision);
      putOrNull(node, "scale", scale);
      node.putNull("collation");
      return node;
    }

    private static void putOrNull(ObjectNode node, String field, Integer value) {
      if (value == null) {
        node.putNull(field);
      } else {
        node.put(field, value);
      }
    }
  }

  /** Builds rows column by column name for readability. */
  static List<String> row(String... values) {
    List<String> row = new ArrayList<>(values.length);
    for (String value : values) {
      row.add(value);
    }
    return row;
  }
}
