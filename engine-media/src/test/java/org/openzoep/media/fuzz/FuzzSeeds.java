package org.openzoep.media.fuzz;

import org.openzoep.testkit.FuzzInput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.openzoep.media.rtcp.RtcpWriter;
import org.openzoep.media.srtp.SrtpContext;
import org.openzoep.media.stun.StunMessage;

/**
 * Writes the seed corpora of engine-media's fuzz targets from the test vectors: the RFC 5769 STUN
 * vectors and messages of {@link StunMessage.Writer}, RTP packets with every header part, RTCP
 * compounds of {@link RtcpWriter}, and SRTP/SRTCP packets protected under the key of
 * {@code SrtpContextTest}. The seeds are committed; run this again ({@code scripts/fuzz seeds})
 * when a vector or an input format changes. It replaces {@code seed-*} files only; the fuzzer's
 * findings in the same directories are kept.
 */
public final class FuzzSeeds {
    static final HexFormat HEX = HexFormat.of();
    static final byte[] PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);
    static final byte[] KEY = HEX.parseHex("E1F97A0D3E018BE0D64FA32C06DE4139");
    static final byte[] SALT = HEX.parseHex("0EC675AD498AFEEBB6960B3AABE6");

    /** RFC 5769 sections 2.1 to 2.4. */
    static final String[] STUN_VECTORS = {
        "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff"
            + "80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249"
            + "c1b571a280280004e57a3bcf",
        "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000080001a147e112a643"
            + "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96",
        "010100482112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000140002a1470113a9fa"
            + "a5d3f179bc25f4b5bed2b9d900080014a382954e4be67bf11784c97c8292c275bfe3ed4180280004c8fb0b4c",
        "000100602112a44278ad3433c6ad72c029da412e00060012e3839ee38388e383aae38383e382afe382b900000015001c"
            + "662f2f3439396b39353464364f4c33346f4c394653547679363473410014000b6578616d706c652e6f72670000080014"
            + "f67024656dd64a3e02b8e0712e85c9a28ca89666",
    };

    private FuzzSeeds() {
    }

    /** @param args the repository root */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".").resolve("engine-media/src/test/resources/org/openzoep/media");
        Path stun = clean(root.resolve("stun/StunMessageFuzzTestInputs/message"));
        Path rtp = clean(root.resolve("rtp/RtpPacketFuzzTestInputs/packet"));
        Path rtcp = clean(root.resolve("rtcp/RtcpParserFuzzTestInputs/compound"));
        Path unprotect = clean(root.resolve("srtp/SrtpContextFuzzTestInputs/unprotect"));
        Path stream = clean(root.resolve("srtp/SrtpContextFuzzTestInputs/afterValidStream"));

        for (int i = 0; i < STUN_VECTORS.length; i++) {
            byte[] v = HEX.parseHex(STUN_VECTORS[i].replace(" ", ""));
            Files.write(stun.resolve("seed-rfc5769-2." + (i + 1)), FuzzInput.encode(v, 0));
            Files.write(stun.resolve("seed-rfc5769-2." + (i + 1) + "-resigned"), FuzzInput.encode(v, 3));
        }
        byte[] tx = HEX.parseHex("b7e7a701bc34d686fa87dfae");
        Files.write(stun.resolve("seed-writer-request"), FuzzInput.encode(stunMessage(w -> StunMessage.write(w,
                StunMessage.BINDING, StunMessage.REQUEST, tx).username("evtj:h6vY").priority(0x6e0001ffL)
                .iceControlling(0x932ff9b151263b36L).useCandidate().messageIntegrity(PASSWORD).fingerprint()), 0));
        Files.write(stun.resolve("seed-writer-response"), FuzzInput.encode(stunMessage(w -> StunMessage.write(w,
                StunMessage.BINDING, StunMessage.SUCCESS, tx).software("fuzz")
                .xorMappedAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478))
                .mappedAddress(new InetSocketAddress("2001:db8::1", 40000))
                .messageIntegrity(PASSWORD).fingerprint()), 3));
        Files.write(stun.resolve("seed-writer-error"), FuzzInput.encode(stunMessage(w -> StunMessage.write(w,
                StunMessage.BINDING, StunMessage.ERROR, tx).errorCode(487, "Role Conflict")
                .iceControlled(42).fingerprint()), 2));

        Files.write(rtp.resolve("seed-plain"), HEX.parseHex("80e0 0001 000003c0 0000004d 0102030405".replace(" ", "")));
        Files.write(rtp.resolve("seed-csrc-marker"), HEX.parseHex("82ef 1234 00000000 11111111 22222222 33333333 aabb".replace(" ", "")));
        // one-byte extension (RFC 8285): audio level (id 1, RFC 6464), padding byte, id 3 of 2 bytes
        Files.write(rtp.resolve("seed-one-byte-extension"), HEX.parseHex(
                "906f 0002 00000140 0000004d bede0002 10aa0032 11220000 c0ffee".replace(" ", "")));
        Files.write(rtp.resolve("seed-two-byte-extension"), HEX.parseHex(
                "906f 0003 00000280 0000004d 10000002 1101aa00 05020102 ff".replace(" ", "")));
        Files.write(rtp.resolve("seed-padding"), HEX.parseHex("a06f 0004 000003c0 0000004d 01020304 00000003".replace(" ", "")));
        Files.write(rtp.resolve("seed-everything"), HEX.parseHex(
                "b1ef 0005 000003c0 0000004d 99999999 bede0001 20abcd00 0102 0002".replace(" ", "")));

        Files.write(rtcp.resolve("seed-sr-sdes-bye"), rtcpCompound(true));
        Files.write(rtcp.resolve("seed-rr-sdes"), rtcpCompound(false));
        Files.write(rtcp.resolve("seed-rr-padded"), HEX.parseHex("a0c90002 0000004d 00000004".replace(" ", "")));
        Files.write(rtcp.resolve("seed-rr-bye-reason"), HEX.parseHex(
                "80c90001 0000004d 81cb0003 0000004d 06676f6f 64627965".replace(" ", "")));

        SrtpContext sender = SrtpContext.create(KEY, SALT, 128);
        byte[] plainRtp = HEX.parseHex("80e0 1234 000003c0 cafebabe 0102030405060708".replace(" ", ""));
        byte[] plainRtcp = rtcpCompound(true);
        Files.write(unprotect.resolve("seed-srtp"), FuzzInput.encode(protect(sender, plainRtp, false), 0));
        Files.write(unprotect.resolve("seed-srtp-extension"), FuzzInput.encode(protect(sender,
                HEX.parseHex("906f 1235 00000500 cafebabe bede0001 10aa0000 0102030405".replace(" ", "")), false), 0));
        Files.write(unprotect.resolve("seed-srtcp"), FuzzInput.encode(protect(sender, plainRtcp, true), 1));

        // scripts for afterValidStream: seq (2 choices), ssrc, then steps (see SrtpContextFuzzTest)
        Files.write(stream.resolve("seed-in-order-across-wrap"), FuzzInput.encode(new byte[0],
                0xff, 0xf0, 1, 0, 0, 20, 0, 0, 20, 0, 0, 20, 0, 9, 20, 0, 0, 20, 0, 0, 20, 0, 0, 20, 0, 0, 20,
                0, 0, 20, 0, 0, 20, 0, 0, 20, 0, 0, 20, 1, 1, 3, 0, 0, 20, 3));
        Files.write(stream.resolve("seed-rtcp-first-high-seq"), FuzzInput.encode(new byte[0],
                0x90, 0x00, 2, 1, 0, 1, 2, 0, 0, 20, 0, 1, 20, 0, 0, 20, 3));
        Files.write(stream.resolve("seed-big-jumps"), FuzzInput.encode(new byte[0],
                0x00, 0x10, 3, 0, 0, 10, 4, 0x7f, 0xff, 10, 4, 0x80, 0x01, 10, 0, 0, 10, 1, 0, 3));
        byte[] forged = protect(SrtpContext.create(KEY, SALT, 128), plainRtp, false);
        forged[forged.length - 1] ^= 1;
        Files.write(stream.resolve("seed-forged"), FuzzInput.encode(forged,
                0x12, 0x30, 0, 0, 3, 20, 2, forged.length, 0, 0, 0, 20, 3));
    }

    static byte[] stunMessage(Consumer<ByteBuf> writer) {
        ByteBuf b = Unpooled.buffer();
        try {
            writer.accept(b);
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static byte[] rtcpCompound(boolean senderReport) {
        ByteBuf b = Unpooled.buffer();
        try {
            int at = senderReport ? RtcpWriter.beginSenderReport(b, 77, 0x1122334455667788L, 960, 10, 1000)
                    : RtcpWriter.beginReceiverReport(b, 77);
            RtcpWriter.reportBlock(b, 99, 25, -3, 70000, 480, 0xABCD, 0x10000);
            RtcpWriter.endReport(b, at, 1);
            RtcpWriter.sdesCname(b, 77, "alice@example".getBytes(StandardCharsets.UTF_8));
            if (senderReport) {
                RtcpWriter.bye(b, 77);
            }
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static byte[] protect(SrtpContext tx, byte[] plain, boolean rtcp) {
        ByteBuf b = Unpooled.buffer(plain.length + 32).writeBytes(plain);
        try {
            if (!(rtcp ? tx.protectRtcp(b) : tx.protectRtp(b))) {
                throw new IllegalStateException("could not protect a seed");
            }
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static Path clean(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().startsWith("seed-")) {
                    Files.delete(f);
                }
            }
        }
        return dir;
    }
}
