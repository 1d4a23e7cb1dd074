package org.openzoep.bench.media;

import com.sun.jna.ptr.PointerByReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openzoep.media.codec.opus.OpusDecoder;
import org.openzoep.media.codec.opus.OpusEncoder;
import org.openzoep.media.codec.opus.OpusNative;
import tomp2p.opuswrapper.Opus;

/**
 * Opus encode and decode of one 20 ms, 48 kHz mono speech frame (espeak-ng speech, 28 kbit/s
 * VBR, VOIP, FEC on at 5% expected loss) at complexity 0, 5 and 10, through three paths:
 * <ul>
 *   <li>{@code encode}/{@code decode}: the engine's {@link OpusEncoder}/{@link OpusDecoder} (JNA
 *       direct mapping, preallocated direct buffers);
 *   <li>{@code encodeOpusJava}/{@code decodeOpusJava}: the same libopus called through opus-java's
 *       own interface-mapped JNA binding ({@code tomp2p.opuswrapper.Opus}): direct PCM buffers, the
 *       payload as a direct buffer (encode) or {@code byte[]} (decode, the only array signature);
 *   <li>{@code bindingProbe}: the engine binding's fixed cost per call: the payload copied into
 *       native memory and one libopus call that does almost no work
 *       ({@code opus_decoder_get_nb_samples}); {@code pcmCopy}: copying one 960-sample frame into
 *       a direct buffer, which encode adds on top.
 * </ul>
 * The engine's overhead around libopus is estimated as {@code bindingProbe + pcmCopy} over the
 * encode or decode time. Both bindings load the same library file, so the codec work is identical.
 *
 * <p>{@link #main} is a cross-check for shared, loaded machines, where JMH's wall-clock scores
 * carry the other tenants' load: it runs the same six operations in interleaved rounds and reports
 * the minimum over rounds of the <em>thread CPU time</em> per operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class OpusBenchmark {

    private static final int FRAME = 960;

    @Param({"0", "5", "10"})
    public int complexity;

    private short[] speech;
    private int frames;
    private byte[][] packets;
    private int[] lengths;
    private OpusEncoder encoder;
    private OpusDecoder decoder;
    private final byte[] out = new byte[1500];
    private final short[] pcm = new short[FRAME];
    private int encodeIndex;
    private int decodeIndex;

    private Opus opusJava;
    private PointerByReference ojEncoder;
    private PointerByReference ojDecoder;
    private ShortBuffer ojPcm;
    private ByteBuffer ojData;
    private ShortBuffer copyTarget;

    /** 48 kHz mono espeak-ng speech, made once with espeak-ng and sox (Debian packages espeak-ng, sox). */
    static short[] speech48k() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("openzoep-bench");
        Path wav = dir.resolve("s.wav");
        Path raw = dir.resolve("s.raw");
        run("espeak-ng", "-s", "150", "-w", wav.toString(),
                "The quick brown fox jumps over the lazy dog. OpenZoep carries voice over RTP with Opus, "
                        + "through loss, jitter and reordering.");
        run("sox", wav.toString(), "-r", "48000", "-c", "1", "-b", "16", "-e", "signed-integer", "-t", "raw", raw.toString());
        byte[] b = Files.readAllBytes(raw);
        short[] s = new short[b.length / 2];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
        Files.delete(wav);
        Files.delete(raw);
        Files.delete(dir);
        return s;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + cmd[0] + ": install the Debian package " + cmd[0], e);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        speech = speech48k();
        frames = speech.length / FRAME;
        encoder = OpusEncoder.builder().complexity(complexity).bitrate(28000).expectedLossPercent(5).build();
        decoder = new OpusDecoder();
        packets = new byte[frames][];
        lengths = new int[frames];
        byte[] buf = new byte[1500];
        try (OpusEncoder e = OpusEncoder.builder().complexity(complexity).bitrate(28000).expectedLossPercent(5).build()) {
            for (int f = 0; f < frames; f++) {
                lengths[f] = e.encode(speech, f * FRAME, buf, 0, buf.length);
                packets[f] = java.util.Arrays.copyOf(buf, 1500);
            }
        }
        // opus-java on the very same library file.
        System.setProperty("opus.lib", OpusNative.info().path());
        opusJava = Opus.INSTANCE;
        IntBuffer err = IntBuffer.allocate(1);
        ojEncoder = opusJava.opus_encoder_create(48000, 1, Opus.OPUS_APPLICATION_VOIP, err);
        opusJava.opus_encoder_ctl(ojEncoder, Opus.OPUS_SET_BITRATE_REQUEST, 28000);
        opusJava.opus_encoder_ctl(ojEncoder, Opus.OPUS_SET_VBR_REQUEST, 1);
        opusJava.opus_encoder_ctl(ojEncoder, Opus.OPUS_SET_COMPLEXITY_REQUEST, complexity);
        opusJava.opus_encoder_ctl(ojEncoder, Opus.OPUS_SET_SIGNAL_REQUEST, Opus.OPUS_SIGNAL_VOICE);
        opusJava.opus_encoder_ctl(ojEncoder, Opus.OPUS_SET_INBAND_FEC_REQUEST, 1);
        opusJava.opus_encoder_ctl(ojEncoder, Opus.OPUS_SET_PACKET_LOSS_PERC_REQUEST, 5);
        ojDecoder = opusJava.opus_decoder_create(48000, 1, err);
        ojPcm = ByteBuffer.allocateDirect(FRAME * 2).order(ByteOrder.nativeOrder()).asShortBuffer();
        ojData = ByteBuffer.allocateDirect(1500);
        copyTarget = ByteBuffer.allocateDirect(FRAME * 2).order(ByteOrder.nativeOrder()).asShortBuffer();
        System.out.println("\nlibopus: " + OpusNative.info() + ", " + frames + " speech frames");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.close();
        decoder.close();
        opusJava.opus_encoder_destroy(ojEncoder);
        opusJava.opus_decoder_destroy(ojDecoder);
    }

    @Benchmark
    public int encode() {
        int f = encodeIndex;
        encodeIndex = f + 1 == frames ? 0 : f + 1;
        return encoder.encode(speech, f * FRAME, out, 0, out.length);
    }

    @Benchmark
    public int decode() {
        int f = decodeIndex;
        decodeIndex = f + 1 == frames ? 0 : f + 1;
        return decoder.decode(packets[f], 0, lengths[f], pcm, 0, FRAME);
    }

    @Benchmark
    public int encodeOpusJava() {
        int f = encodeIndex;
        encodeIndex = f + 1 == frames ? 0 : f + 1;
        ojPcm.clear();
        ojPcm.put(speech, f * FRAME, FRAME).flip();
        ojData.clear();
        int n = opusJava.opus_encode(ojEncoder, ojPcm, FRAME, ojData, 1500);
        if (n > 0) {
            ojData.get(out, 0, n);
        }
        return n;
    }

    @Benchmark
    public int decodeOpusJava() {
        int f = decodeIndex;
        decodeIndex = f + 1 == frames ? 0 : f + 1;
        ojPcm.clear();
        // opus-java's decode takes the payload as byte[] (JNA copies it to native memory per call).
        int n = opusJava.opus_decode(ojDecoder, packets[f], lengths[f], ojPcm, FRAME, 0);
        if (n > 0) {
            ojPcm.get(pcm, 0, n);
        }
        return n;
    }

    @Benchmark
    public int bindingProbe() {
        int f = decodeIndex;
        decodeIndex = f + 1 == frames ? 0 : f + 1;
        return decoder.packetSamples(packets[f], 0, lengths[f]);
    }

    @Benchmark
    public ShortBuffer pcmCopy() {
        int f = encodeIndex;
        encodeIndex = f + 1 == frames ? 0 : f + 1;
        return copyTarget.put(0, speech, f * FRAME, FRAME);
    }

    /**
     * Thread-CPU-time cross-check: {@code java -cp benchmarks/target/benchmarks.jar
     * org.openzoep.bench.media.OpusBenchmark [rounds]}. Prints a Markdown table.
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        String[] names = {"encode", "encodeOpusJava", "decode", "decodeOpusJava", "bindingProbe", "pcmCopy"};
        System.out.println("| complexity | " + String.join(" | ", names) + " | overhead encode | overhead decode |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int complexity : new int[] {0, 5, 10}) {
            OpusBenchmark b = new OpusBenchmark();
            b.complexity = complexity;
            b.setUp();
            double[] best = new double[names.length];
            java.util.Arrays.fill(best, Double.MAX_VALUE);
            long sink = 0;
            for (int r = 0; r < rounds; r++) {
                for (int op = 0; op < names.length; op++) {
                    int n = op >= 4 ? 200_000 : 2_000;
                    long t0 = mx.getCurrentThreadCpuTime();
                    for (int i = 0; i < n; i++) {
                        sink += switch (op) {
                            case 0 -> b.encode();
                            case 1 -> b.encodeOpusJava();
                            case 2 -> b.decode();
                            case 3 -> b.decodeOpusJava();
                            case 4 -> b.bindingProbe();
                            default -> b.pcmCopy().get(0);
                        };
                    }
                    double ns = (double) (mx.getCurrentThreadCpuTime() - t0) / n;
                    if (r > 0) { // round 0 is warm-up
                        best[op] = Math.min(best[op], ns);
                    }
                }
            }
            b.tearDown();
            double overheadEnc = (best[4] + best[5]) / best[0] * 100;
            double overheadDec = best[4] / best[2] * 100;
            StringBuilder row = new StringBuilder("| " + complexity + " | ");
            for (int op = 0; op < names.length; op++) {
                row.append(op >= 4 ? String.format(java.util.Locale.ROOT, "%.3f us", best[op] / 1000)
                        : String.format(java.util.Locale.ROOT, "%.1f us", best[op] / 1000)).append(" | ");
            }
            row.append(String.format(java.util.Locale.ROOT, "%.2f %% | %.2f %% |", overheadEnc, overheadDec));
            System.out.println(row + (sink == 42 ? " " : ""));
        }
    }
}
