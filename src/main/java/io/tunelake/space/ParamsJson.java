package io.tunelake.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON form of an assignment, as stored with each trial. */
public final class ParamsJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ParamsJson() {}

  /** Writes {@code params} as a JSON object, keys in the map's order. */
  public static String write(Map<String, Object> params) {
    try {
      return MAPPER.writeValueAsString(params);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write parameters as JSON: " + params, e);
    }
  }

  /** Reads a JSON object written by {@link #write}; numbers come back as Integer or Double. */
  public static Map<String, Object> read(String json) {
    try {
      Map<String, Object> raw = MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
      Map<String, Object> out = new LinkedHashMap<>();
      raw.forEach((k, v) -> out.put(k, Values.canonical(k, v)));
      return out;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON object of parameters: " + json, e);
    }
  }

  /** Reads a JSON assignment and puts it in the canonical form of {@code space}. */
  public static Map<String, Object> read(String json, SearchSpace space) {
    return space.canonical(read(json));
  }
}
