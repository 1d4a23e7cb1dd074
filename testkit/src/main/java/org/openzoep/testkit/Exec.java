package org.openzoep.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/** Process helpers shared by the kit: binaries on the PATH, commands with a deadline, cleanup. */
final class Exec {

    private Exec() {
    }

    /**
     * The absolute path of {@code binary} on the PATH (or in /usr/sbin, /sbin).
     *
     * @throws IllegalStateException naming the Debian package to install when it is missing
     */
    static Path require(String binary, String debianPackage) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(List.of("/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, binary);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("'" + binary + "' not found on the PATH: install the Debian package '"
                + debianPackage + "' (apt-get install -y " + debianPackage + ", or run scripts/install-deps)");
    }

    /**
     * Runs {@code command} in {@code dir} and waits at most {@code timeout}; output goes to a log
     * file in {@code dir}.
     *
     * @return the combined stdout and stderr
     * @throws IllegalStateException with the output when the command fails or times out
     */
    static String run(List<String> command, Path dir, Duration timeout) {
        Path out = null;
        try {
            out = Files.createTempFile(dir, "exec-", ".log");
            Process p = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            if (!done) {
                throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", command)
                        + "\n" + output);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("exit code " + p.exitValue() + ": " + String.join(" ", command)
                        + "\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // The whole directory goes away with its owner.
                }
            }
        }
    }

    /** SIGTERM, then SIGKILL if {@code p} is still alive after {@code timeout}. */
    static void stop(Process p, Duration timeout) {
        try {
            p.destroy();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Parks the calling thread for {@code millis} (the poll interval of deadline loops). */
    static void pause(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** The last {@code lines} lines of a text file, or a note that it does not exist. */
    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(" + file + " does not exist)";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    /** Deletes {@code dir} and everything in it; quietly does nothing when it is gone already. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
