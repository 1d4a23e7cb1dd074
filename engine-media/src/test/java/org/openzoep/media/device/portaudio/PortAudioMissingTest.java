package org.openzoep.media.device.portaudio;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Without libportaudio2, device selection fails with a message naming the package, while file and
 * virtual devices keep working. The library is made unloadable in a fresh JVM (the binding is per
 * process) by pointing {@code openzoep.portaudio.library} at a name that does not exist.
 */
class PortAudioMissingTest {

    /** Run in the fresh JVM. */
    public static final class Main {
        private Main() {
        }

        public static void main(String[] args) throws Exception {
            try {
                PortAudio.initialize();
                System.out.println("UNEXPECTED: PortAudio initialised");
            } catch (org.openzoep.media.device.AudioDeviceException e) {
                System.out.println("MESSAGE: " + e.getMessage());
            }
            org.openzoep.media.device.virtual.VirtualDevice v =
                    org.openzoep.media.device.virtual.VirtualDevice.unpaced("virtual", null, null);
            short[] frame = new short[480];
            System.out.println("VIRTUAL: " + v.read(frame, 0) + " " + v.write(frame, 0));
        }
    }

    @Test
    void selectionFailsNamingThePackageAndVirtualDevicesStillWork() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Dopenzoep.portaudio.library=libportaudio-not-installed.so.2",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("MESSAGE: PortAudio is not available: install the Debian package libportaudio2")
                .contains("VIRTUAL: 480 480").doesNotContain("UNEXPECTED");
    }
}
