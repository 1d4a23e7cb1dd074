package org.openzoep.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StunServerTest {

    private static final byte[] RFC5769_TXID = HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae");

    @Test
    void stunServerAnswersBindingRequestsAndStops() throws IOException {
        Path dir;
        try (StunServer stun = StunServer.builder().start();
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            assertThat(stun.isTurn()).isFalse();
            assertThat(stun.isRunning()).isTrue();
            dir = stun.directory();
            InetSocketAddress mapped = StunServer.bindingRequest(socket, stun.address(), Duration.ofSeconds(2));
            // On loopback the reflexive address is the socket's own address.
            assertThat(mapped).isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()));

            stun.stop();
            assertThat(stun.isRunning()).isFalse();
            assertThatThrownBy(() -> StunServer.bindingRequest(stun.address(), Duration.ofMillis(300)))
                    .isInstanceOf(SocketTimeoutException.class);

            stun.start();
            assertThat(StunServer.bindingRequest(stun.address(), Duration.ofSeconds(2)).getAddress().isLoopbackAddress())
                    .isTrue();
            // Private state only: the log and user database are in the temp directory.
            assertThat(stun.logFile()).exists();
            assertThat(Files.readString(stun.logFile()))
                    .contains("SQLite DB connection success: " + stun.directory().resolve("turndb"));
        }
        assertThat(dir).doesNotExist();
    }

    @Test
    void turnModeChallengesAnAllocateWithItsRealm() throws IOException {
        try (StunServer turn = StunServer.builder().turn("zoep", "zoeppass", "openzoep.test").start();
                StunServer stunOnly = StunServer.builder().start()) {
            assertThat(turn.isTurn()).isTrue();
            assertThat(StunServer.bindingRequest(turn.address(), Duration.ofSeconds(2))).isNotNull();
            // An unauthenticated Allocate gets 401 with the configured REALM (RFC 5766 §6.2, RFC 5389 §10.2).
            ByteBuffer reply = allocate(turn.address());
            assertThat(reply.getShort(0) & 0xFFFF).isEqualTo(0x0113);
            assertThat(errorCode(reply)).isEqualTo(401);
            assertThat(stringAttribute(reply, 0x0014)).isEqualTo("openzoep.test");
            // A STUN-only coturn (--stun-only) ignores Allocate instead of asking for credentials.
            assertThatThrownBy(() -> allocate(stunOnly.address())).isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void parsesRfc5769Ipv4Response() throws IOException {
        byte[] msg = HexFormat.of().parseHex(
                "0101003c" + "2112a442" + "b7e7a701bc34d686fa87dfae"
                + "8022000b" + "74657374" + "20766563" + "746f7220"   // SOFTWARE "test vector", padded
                + "00200008" + "0001a147" + "e112a643"               // XOR-MAPPED-ADDRESS
                + "00080014" + "00".repeat(20)                       // MESSAGE-INTEGRITY (not checked)
                + "80280004" + "c07d4c96");                          // FINGERPRINT
        assertThat(StunServer.parseBindingResponse(msg, msg.length, RFC5769_TXID))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
    }

    @Test
    void parsesRfc5769Ipv6Response() throws IOException {
        byte[] msg = HexFormat.of().parseHex(
                "01010018" + "2112a442" + "b7e7a701bc34d686fa87dfae"
                + "00200014" + "0002a147" + "0113a9faa5d3f179bc25f4b5bed2b9d9");
        assertThat(StunServer.parseBindingResponse(msg, msg.length, RFC5769_TXID))
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
    }

    @Test
    void ignoresOtherTransactionsAndRejectsGarbage() {
        byte[] msg = HexFormat.of().parseHex("01010000" + "2112a442" + "b7e7a701bc34d686fa87dfae");
        byte[] otherTx = RFC5769_TXID.clone();
        otherTx[0] ^= 1;
        assertThat(catching(() -> StunServer.parseBindingResponse(msg, msg.length, otherTx))).isNull();
        assertThatThrownBy(() -> StunServer.parseBindingResponse(msg, msg.length, RFC5769_TXID))
                .isInstanceOf(IOException.class).hasMessageContaining("MAPPED-ADDRESS");
        assertThatThrownBy(() -> StunServer.parseBindingResponse(msg, 10, RFC5769_TXID)).isInstanceOf(IOException.class);
        byte[] overrun = HexFormat.of().parseHex("01010008" + "2112a442" + "b7e7a701bc34d686fa87dfae" + "00200010" + "00010000");
        assertThatThrownBy(() -> StunServer.parseBindingResponse(overrun, overrun.length, RFC5769_TXID))
                .isInstanceOf(IOException.class);
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private static <T> T catching(IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Sends an unauthenticated TURN Allocate (REQUESTED-TRANSPORT UDP) and returns the reply. */
    private static ByteBuffer allocate(InetSocketAddress server) throws IOException {
        ByteBuffer req = ByteBuffer.allocate(28);
        req.putShort((short) 0x0003).putShort((short) 8).putInt(0x2112A442).put(RFC5769_TXID);
        req.putShort((short) 0x0019).putShort((short) 4).put((byte) 17).put(new byte[3]);
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(1000);
            socket.send(new DatagramPacket(req.array(), req.capacity(), server));
            byte[] buf = new byte[1500];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            socket.receive(p);
            return ByteBuffer.wrap(buf, 0, p.getLength()).slice();
        }
    }

    private static int errorCode(ByteBuffer msg) {
        ByteBuffer v = attribute(msg, 0x0009);
        return (v.get(2) & 0x7) * 100 + (v.get(3) & 0xFF);
    }

    private static String stringAttribute(ByteBuffer msg, int type) {
        ByteBuffer v = attribute(msg, type);
        byte[] b = new byte[v.remaining()];
        v.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static ByteBuffer attribute(ByteBuffer msg, int type) {
        int end = 20 + (msg.getShort(2) & 0xFFFF);
        int pos = 20;
        while (pos + 4 <= end) {
            int t = msg.getShort(pos) & 0xFFFF;
            int len = msg.getShort(pos + 2) & 0xFFFF;
            if (t == type) {
                return msg.slice(pos + 4, len);
            }
            pos += 4 + ((len + 3) & ~3);
        }
        throw new AssertionError("no attribute 0x" + Integer.toHexString(type));
    }
}
