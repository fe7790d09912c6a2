package io.tunelake;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's {@code chromium} headless on a local page, with the flags this (root, offline)
 * sandbox needs, a fresh profile per run and nothing fetched from the network. A test that needs
 * it fails, rather than skips, when it is missing: {@code scripts/test} installs it.
 */
public final class HeadlessChromium {
  private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome");

  /** What one run printed. */
  public record Run(int code, String stdout, String stderr) {}

  private final String binary;

  private HeadlessChromium(String binary) {
    this.binary = binary;
  }

  /** Chromium from the PATH; fails the test with how to install it when there is none. */
  public static HeadlessChromium require() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : NAMES) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return new HeadlessChromium(p.toString());
        }
      }
    }
    return fail("chromium is not installed, but the report test renders the page in it; install it with "
        + "'apt-get install -y chromium' (scripts/test does)");
  }

  /** The page's DOM after load, scripts run and the virtual time budget spent. */
  public Run dumpDom(Path page) {
    return run(List.of("--dump-dom", "--virtual-time-budget=3000", page.toUri().toString()));
  }

  /** A PNG of the page at {@code width x height}. */
  public Run screenshot(Path page, Path png, int width, int height) {
    return run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
        "--hide-scrollbars", "--virtual-time-budget=3000", page.toUri().toString()));
  }

  private Run run(List<String> args) {
    try {
      Path profile = SparkTestSession.tempDir("chromium-profile");
      Path out = Files.createTempFile(profile.getParent(), "chromium", ".out");
      Path err = Files.createTempFile(profile.getParent(), "chromium", ".err");
      List<String> cmd = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
          "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
          "--disable-sync", "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile));
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return fail("chromium did not finish within 120 s: " + String.join(" ", cmd));
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return fail("running chromium failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while waiting for chromium");
    }
  }
}
