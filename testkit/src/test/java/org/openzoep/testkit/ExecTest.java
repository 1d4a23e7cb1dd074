package org.openzoep.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecTest {

    @Test
    void missingBinaryNamesTheDebianPackage() {
        assertThatThrownBy(() -> Exec.require("openzoep-no-such-binary", "openzoep-pkg"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("openzoep-no-such-binary")
                .hasMessageContaining("apt-get install -y openzoep-pkg");
    }

    @Test
    void findsInstalledBinaries() {
        assertThat(Exec.require("openssl", "openssl")).isAbsolute().isExecutable();
    }

    @Test
    void failedCommandCarriesItsOutput(@TempDir Path dir) {
        assertThatThrownBy(() -> Exec.run(List.of("bash", "-c", "echo boom-output; exit 3"), dir, Duration.ofSeconds(10)))
                .hasMessageContaining("exit code 3")
                .hasMessageContaining("boom-output");
    }

    @Test
    void commandIsKilledAtTheDeadline(@TempDir Path dir) {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Exec.run(List.of("bash", "-c", "exec sleep 30"), dir, Duration.ofMillis(300)))
                .hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }
}
