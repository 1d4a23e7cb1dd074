package org.openzoep.xmpp.testkit;

import org.openzoep.testkit.ProsodyServer;
import org.openzoep.testkit.ProsodyExtension;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension's life cycle: one server per class, restarted after a test leaves it stopped. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProsodyExtensionTest {

    @RegisterExtension
    static ProsodyExtension prosody = ProsodyExtension.builder().fileDescriptorLimit(4096).build();

    private static int firstPort;
    private static long firstPid;

    @Test
    @Order(1)
    void runsWithTheRequestedDescriptorLimit(ProsodyServer server) throws IOException {
        firstPort = server.port();
        firstPid = server.pid();
        assertThat(openFilesLimit(server.pid())).isEqualTo(4096);
        server.stop();
        // Left stopped on purpose: the extension must restart it for the next test.
    }

    @Test
    @Order(2)
    void isRestartedOnTheSamePortForTheNextTest(ProsodyServer server) throws IOException {
        assertThat(server).isSameAs(prosody.server());
        assertThat(server.isRunning()).isTrue();
        assertThat(server.pid()).isNotEqualTo(firstPid);
        assertThat(server.port()).isEqualTo(firstPort);
        try (XmppProbe probe = XmppProbe.connect(prosody.host(), prosody.port())) {
            assertThat(probe.openStream(prosody.domain())).contains("<starttls");
        }
    }

    @Test
    @Order(3)
    void defaultLimitIsTheHardLimit() throws IOException {
        try (ProsodyServer server = ProsodyServer.builder().start()) {
            Matcher m = limits(server.pid());
            assertThat(m.group(1)).isEqualTo(m.group(2));
        }
    }

    private static int openFilesLimit(long pid) throws IOException {
        return Integer.parseInt(limits(pid).group(1));
    }

    /** "Max open files" soft (group 1) and hard (group 2) limits of a process. */
    private static Matcher limits(long pid) throws IOException {
        String limits = Files.readString(Path.of("/proc", String.valueOf(pid), "limits"));
        Matcher m = Pattern.compile("Max open files\\s+(\\S+)\\s+(\\S+)").matcher(limits);
        assertThat(m.find()).as(limits).isTrue();
        return m;
    }
}
