package io.tunelake.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tunelake.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs every {@code %%sql} cell of notebooks/trials-analysis.ipynb against the tables of a real
 * small study, so the notebook keeps up with the tables.
 */
@ExtendWith(SparkTestSession.class)
class NotebookTest {

  /** The SQL of each {@code %%sql} cell, without the magic line. */
  static List<String> sqlCells(Path notebook) throws Exception {
    JsonNode nb = new ObjectMapper().readTree(notebook.toFile());
    List<String> out = new ArrayList<>();
    for (JsonNode cell : nb.get("cells")) {
      if (!"code".equals(cell.get("cell_type").asText())) {
        continue;
      }
      JsonNode src = cell.get("source");
      StringBuilder text = new StringBuilder();
      if (src.isArray()) {
        src.forEach(line -> text.append(line.asText()));
      } else {
        text.append(src.asText());
      }
      String s = text.toString();
      if (s.startsWith("%%sql")) {
        out.add(s.substring(s.indexOf('\n') + 1));
      }
    }
    return out;
  }

  @Test
  void notebook_everySqlCellRunsOnARealStudy() throws Exception {
    Path store = SparkTestSession.tempDir("store");
    Path spec = TuneCommandTest.spec(String.join("\n",
        "study: nb",
        "data: {path: '" + SparkTestSession.dataFile("sample_multiclass_classification_data.csv") + "'}",
        "estimator: logistic_regression",
        "space:",
        "  regParam: {low: 0.001, high: 1.0, log: true}",
        "  maxIter: 10",
        "evaluation: {metric: accuracy, folds: 2}",
        "search: {algorithm: random, trials: 4, batch_size: 2, seed: 5}",
        ""));
    TuneCommandTest.Run run = TuneCommandTest.cli("tune", spec.toString(), "--store", store.toString());
    assertEquals(0, run.code(), run.err());

    Path notebook = Path.of(System.getProperty("tunelake.project.dir", "."), "notebooks", "trials-analysis.ipynb");
    List<String> cells = sqlCells(notebook);
    assertTrue(cells.size() >= 8, "the notebook should hold its SQL cells, found " + cells.size());
    for (String cell : cells) {
      String sql = cell.replace("${store}", store.toString()).replace("${study}", "nb");
      assertFalse(sql.contains("${"), "a placeholder is left in: " + sql);
      List<Row> rows = SparkTestSession.get().sql(sql).collectAsList();
      if (!sql.contains("status = 'FAILED'")) {
        assertFalse(rows.isEmpty(), "no rows from the cell:\n" + sql);
      }
    }
  }
}
