package org.openzoep.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openzoep.Account;
import org.openzoep.AccountListener;
import org.openzoep.AccountSettings;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.ZoepEngine;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioSink;
import org.openzoep.media.device.AudioSource;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.tls.TlsMode;

/**
 * {@code zoep call} and {@code zoep answer}: log in to a real server, place a call or wait for
 * calls and answer them, show live quality, print a summary.
 */
final class CallTool {
    private CallTool() {
    }

    /** Options both commands take. */
    static final class Options {
        String server;
        int port = 5222;
        TlsMode tls = TlsMode.STARTTLS;
        Path ca;
        Jid jid;
        String password;
        Jid to;
        Path play;
        Path record;
        String device;
        boolean echo;
        int seconds;
        int calls = 1;
        String stun;
        List<InetAddress> media = new ArrayList<>();

        static Options parse(String command, String[] args) throws Exception {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String v = i + 1 < args.length ? args[i + 1] : null;
                if (a.equals("--echo")) {
                    o.echo = true;
                    continue;
                }
                if (v == null) {
                    throw new IllegalArgumentException(command + ": " + a + " needs a value (see zoep --help)");
                }
                i++;
                switch (a) {
                    case "--server" -> {
                        int c = v.lastIndexOf(':');
                        o.server = c > 0 ? v.substring(0, c) : v;
                        o.port = c > 0 ? Integer.parseInt(v.substring(c + 1)) : 5222;
                    }
                    case "--tls" -> o.tls = switch (v) {
                        case "starttls" -> TlsMode.STARTTLS;
                        case "direct" -> TlsMode.DIRECT_TLS;
                        default -> throw new IllegalArgumentException(command + ": --tls is starttls or direct");
                    };
                    case "--ca" -> o.ca = Path.of(v);
                    case "--jid" -> o.jid = Jid.parse(v);
                    case "--password" -> o.password = v;
                    case "--to" -> o.to = Jid.parse(v);
                    case "--play" -> o.play = Path.of(v);
                    case "--record" -> o.record = Path.of(v);
                    case "--device" -> o.device = v;
                    case "--seconds" -> o.seconds = Integer.parseInt(v);
                    case "--calls" -> o.calls = Integer.parseInt(v);
                    case "--stun" -> o.stun = v;
                    case "--media-address" -> o.media.add(InetAddress.getByName(v));
                    default -> throw new IllegalArgumentException(command + ": unknown option '" + a + "'");
                }
            }
            if (o.jid == null || o.password == null) {
                throw new IllegalArgumentException(command + ": --jid and --password are required");
            }
            if (command.equals("call") && o.to == null) {
                throw new IllegalArgumentException("call: --to is required");
            }
            if (o.device != null && (o.play != null || o.record != null || o.echo)) {
                throw new IllegalArgumentException(command + ": --device cannot be combined with --play/--record/--echo");
            }
            return o;
        }

        CallAudio audio() {
            if (device != null) {
                return CallAudio.device(device, device);
            }
            if (echo) {
                Echo e = new Echo();
                return CallAudio.of(e, e);
            }
            return play == null && record == null ? CallAudio.silence() : CallAudio.files(play, record);
        }

        AccountSettings settings() {
            AccountSettings s = AccountSettings.defaults().withTls(tls, ca);
            if (server != null) {
                s = s.withServer(server, port);
            }
            if (stun != null) {
                int c = stun.lastIndexOf(':');
                List<AccountSettings.IceServer> list = List.of(new AccountSettings.IceServer(c > 0
                        ? stun.substring(0, c) : stun, c > 0 ? Integer.parseInt(stun.substring(c + 1)) : 3478, null,
                        null, "udp"));
                s = s.withMedia(s.audio(), s.codecs(), list, List.of(), null);
            }
            return s;
        }
    }

    /** An echo bot's audio: what it hears, it says back (same audio thread, so a plain ring). */
    static final class Echo implements AudioSource, AudioSink {
        private final short[] ring = new short[AudioDevice.FRAME_SAMPLES * 64];
        private int write;
        private int read;

        @Override
        public int write(short[] frame, int offset) {
            if (write - read + AudioDevice.FRAME_SAMPLES <= ring.length) {
                for (int i = 0; i < AudioDevice.FRAME_SAMPLES; i++) {
                    ring[(write + i) % ring.length] = frame[offset + i];
                }
                write += AudioDevice.FRAME_SAMPLES;
            }
            return AudioDevice.FRAME_SAMPLES;
        }

        @Override
        public int read(short[] frame, int offset) {
            if (write - read < AudioDevice.FRAME_SAMPLES) {
                return 0;
            }
            for (int i = 0; i < AudioDevice.FRAME_SAMPLES; i++) {
                frame[offset + i] = ring[(read + i) % ring.length];
            }
            read += AudioDevice.FRAME_SAMPLES;
            return AudioDevice.FRAME_SAMPLES;
        }
    }

    static final class Events implements AccountListener {
        final BlockingQueue<Object[]> events = new LinkedBlockingQueue<>();

        @Override
        public void onCall(Account account, Call call, CallEvent event) {
            events.add(new Object[] {call, event});
        }
    }

    static ZoepEngine engine(Options o) {
        ZoepEngine.Builder b = ZoepEngine.builder();
        if (!o.media.isEmpty()) {
            b.mediaAddresses(o.media);
        }
        return b.build();
    }

    static Account login(ZoepEngine engine, Options o, AccountListener l, PrintStream out) throws Exception {
        Account a = engine.registerAccount(l);
        a.configure(o.settings()).toCompletableFuture().get();
        a.defaultAudio(o.audio()).toCompletableFuture().get();
        Jid bound = a.login(o.jid, o.password).toCompletableFuture().get(30, TimeUnit.SECONDS);
        a.sendPresence(null).toCompletableFuture().get(10, TimeUnit.SECONDS);
        out.println("online as " + bound);
        return a;
    }

    /** Runs one call to its end, printing a line per second; hangs up after {@code seconds} (0: never). */
    static CallEnd follow(Call call, Events events, int seconds, PrintStream out) throws Exception {
        long start = System.nanoTime();
        long lastLine = 0;
        CompletableFuture<CallEnd> end = call.ended().toCompletableFuture();
        while (!end.isDone()) {
            Object[] e = events.events.poll(200, TimeUnit.MILLISECONDS);
            if (e != null && e[0] == call) {
                CallEvent ev = (CallEvent) e[1];
                if (ev.kind() != CallEvent.Kind.ENDED) {
                    out.println("   event: " + ev.kind().name().toLowerCase() + (ev.digit() != 0 ? " " + ev.digit() : ""));
                }
            }
            long now = System.nanoTime();
            if (now - lastLine > 1_000_000_000L) {
                lastLine = now;
                out.println(Progress.line(call, start));
            }
            if (seconds > 0 && now - start > TimeUnit.SECONDS.toNanos(seconds) && !end.isDone()) {
                Progress.summary(out, "we", call.stats());
                call.hangup();
                seconds = 0;
            }
        }
        CallEnd r = end.get();
        out.printf("call ended: %s%s — %s%n", r.reason().wireName(), r.isError() ? " (" + r.condition() + ")" : "",
                r.text());
        return r;
    }

    static int call(String[] args, PrintStream out) throws Exception {
        Options o = Options.parse("call", args);
        Events events = new Events();
        try (ZoepEngine engine = engine(o)) {
            Account a = login(engine, o, events, out);
            Call call = a.call(o.to, o.audio()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            out.println("calling " + o.to + " (" + o.audio() + ")");
            CallEnd end = follow(call, events, o.seconds > 0 ? o.seconds : 0, out);
            a.logout().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return end.isError() ? 1 : 0;
        }
    }

    static int answer(String[] args, PrintStream out) throws Exception {
        Options o = Options.parse("answer", args);
        Events events = new Events();
        try (ZoepEngine engine = engine(o)) {
            Account a = login(engine, o, events, out);
            out.println("waiting for " + o.calls + " call(s); audio " + o.audio());
            for (int n = 0; n < o.calls; n++) {
                Call call;
                while (true) {
                    Object[] e = events.events.take();
                    if (((CallEvent) e[1]).kind() == CallEvent.Kind.INCOMING) {
                        call = (Call) e[0];
                        break;
                    }
                }
                out.println("incoming call from " + call.peer() + " (" + call.id() + "), answering");
                call.answer();
                follow(call, events, o.seconds, out);
            }
            a.logout().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return 0;
        }
    }
}
