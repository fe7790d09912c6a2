package io.tunelake;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.Identifiable;

/**
 * The validator's params whose values are {@link MetricBound}s and a {@link Selection}, with the
 * JSON form a saved validator keeps them in ({@code {"metric":..,"min":..,"max":..}}).
 */
final class GoalParams {
  private static final ObjectMapper JSON = new ObjectMapper();

  private GoalParams() {}

  /** {@code constraints}: an array of bounds. */
  static final class Bounds extends Param<MetricBound[]> {
    private static final long serialVersionUID = 1L;

    Bounds(Identifiable parent, String name, String doc) {
      super(parent, name, doc);
    }

    @Override
    public String jsonEncode(MetricBound[] value) {
      ArrayNode out = JSON.createArrayNode();
      for (MetricBound b : value) {
        out.add(bound(b));
      }
      return out.toString();
    }

    @Override
    public MetricBound[] jsonDecode(String json) {
      return bounds(read(json)).toArray(new MetricBound[0]);
    }
  }

  /** {@code select}: the selection rule. */
  static final class Select extends Param<Selection> {
    private static final long serialVersionUID = 1L;

    Select(Identifiable parent, String name, String doc) {
      super(parent, name, doc);
    }

    @Override
    public String jsonEncode(Selection value) {
      ObjectNode out = JSON.createObjectNode();
      out.put("metric", value.metric());
      out.put("maximize", value.maximize());
      ArrayNode subjectTo = out.putArray("subjectTo");
      value.subjectTo().forEach(b -> subjectTo.add(bound(b)));
      return out.toString();
    }

    @Override
    public Selection jsonDecode(String json) {
      JsonNode node = read(json);
      return new Selection(node.get("metric").asText(), node.get("maximize").asBoolean(),
          bounds(node.get("subjectTo")));
    }
  }

  private static ObjectNode bound(MetricBound b) {
    ObjectNode o = JSON.createObjectNode();
    o.put("metric", b.metric());
    if (b.min() != null) {
      o.put("min", b.min());
    }
    if (b.max() != null) {
      o.put("max", b.max());
    }
    return o;
  }

  private static List<MetricBound> bounds(JsonNode array) {
    List<MetricBound> out = new ArrayList<>();
    for (JsonNode o : array) {
      out.add(new MetricBound(o.get("metric").asText(), o.has("min") ? o.get("min").asDouble() : null,
          o.has("max") ? o.get("max").asDouble() : null));
    }
    return out;
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
