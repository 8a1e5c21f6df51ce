package dev.trafficmirror.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * A real browser for the report: Debian's {@code chromium}, headless, with a fresh profile each
 * time and nothing in the background that would reach the network. Where it is not installed,
 * {@link #assumeInstalled()} skips the test and says why.
 */
final class HeadlessChromium {

    static final Path BINARY = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    private static final long TIMEOUT_SECONDS = 90;

    private HeadlessChromium() {
    }

    static void assumeInstalled() {
        assumeTrue(Files.isExecutable(BINARY), "Chromium is not installed at " + BINARY + " (Debian package"
                + " 'chromium'; or -Dchromium.binary=...): the report is not rendered in a real browser here;"
                + " the parsing checks of the other tests still ran");
    }

    /** The page at {@code url} as the browser laid it out, {@code width} x {@code height} pixels. */
    static BufferedImage screenshot(String url, int width, int height, Path dir) throws Exception {
        Path png = dir.resolve("screenshot-" + System.nanoTime() + ".png");
        run(dir, List.of("--screenshot=" + png, "--window-size=" + width + "," + height, "--hide-scrollbars", url));
        if (!Files.exists(png)) {
            throw new IllegalStateException("Chromium wrote no screenshot of " + url);
        }
        return ImageIO.read(png.toFile());
    }

    /** The page's DOM once the browser has parsed it. */
    static String dom(String url, Path dir) throws Exception {
        return run(dir, List.of("--dump-dom", url));
    }

    /** How many pixels are within a small distance of {@code rgb}, e.g. {@code 0xdd6b20}. */
    static long pixels(BufferedImage image, int rgb) {
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int pixel = image.getRGB(x, y);
                int dr = ((pixel >> 16) & 0xff) - ((rgb >> 16) & 0xff);
                int dg = ((pixel >> 8) & 0xff) - ((rgb >> 8) & 0xff);
                int db = (pixel & 0xff) - (rgb & 0xff);
                if (dr * dr + dg * dg + db * db <= 24 * 24) {
                    count++;
                }
            }
        }
        return count;
    }

    private static String run(Path dir, List<String> arguments) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        command.addAll(arguments);
        Path out = dir.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = dir.resolve("chromium-" + System.nanoTime() + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IllegalStateException("Chromium did not finish in " + TIMEOUT_SECONDS + " s: "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("Chromium exited with " + process.exitValue() + ": "
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
