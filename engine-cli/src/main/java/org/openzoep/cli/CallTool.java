package org.openzoep.cli;

import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
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
import org.openzoep.CallState;
import org.openzoep.ZoepEngine;
import org.openzoep.media.device.AudioDevice;
import org.openzoep.media.device.AudioSink;
import org.openzoep.media.device.AudioSource;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.tls.TlsMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code zoep call} and {@code zoep answer}: log in to a real server, place a call or wait for
 * calls and answer them, show live quality, print a summary. The password never comes from the
 * command line ({@link PasswordOptions}); Ctrl-C hangs up cleanly ({@link HangupOnExit}).
 */
final class CallTool {
    private CallTool() {
    }

    /** Options both commands take (a picocli mixin). */
    static final class Options {
        @Option(names = "--jid", required = true, paramLabel = "JID", description = "the account, e.g. "
                + "alice@example.org/phone")
        Jid jid;

        @Mixin
        PasswordOptions password;

        @Option(names = "--server", paramLabel = "HOST[:PORT]",
                description = "the XMPP server (default: DNS SRV of the JID's domain; port 5222)")
        Zoep.HostPort server;

        @Option(names = "--tls", paramLabel = "starttls|direct", defaultValue = "starttls",
                description = "STARTTLS or Direct TLS (default: ${DEFAULT-VALUE})")
        TlsMode tls;

        @Option(names = "--ca", paramLabel = "CA.pem", description = "trust these CAs instead of the system's")
        Path ca;

        @Option(names = "--stun", paramLabel = "HOST[:PORT]", description = "a STUN server (port 3478)")
        Zoep.HostPort stun;

        @Option(names = "--media-address", paramLabel = "IP",
                description = "ICE host candidates only from this address (repeatable)")
        List<InetAddress> media = new ArrayList<>();

        @Option(names = "--play", paramLabel = "FILE.wav", description = "send a WAV file (default: silence)")
        Path play;

        @Option(names = "--record", paramLabel = "FILE.wav", description = "record what is heard")
        Path record;

        @Option(names = "--device", paramLabel = "NAME|default",
                description = "a PortAudio device for both directions (not with --play/--record/--echo)")
        String device;

        @Option(names = "--accept-from", paramLabel = "roster|everyone|nobody", defaultValue = "roster",
                converter = IncomingCallsConverter.class,
                description = "who may ring this account (default: ${DEFAULT-VALUE}, contacts with a subscription)")
        AccountSettings.IncomingCalls acceptFrom;

        @Option(names = "--seconds", paramLabel = "S", defaultValue = "0",
                description = "hang up S seconds after the call is answered (default: wait for the peer)")
        int seconds;

        boolean echo;

        /** Checks what picocli cannot, then reads the password (file, environment, prompt). */
        String validate(CommandSpec spec) throws Exception {
            if (device != null && (play != null || record != null || echo)) {
                throw new ParameterException(spec.commandLine(),
                        "--device cannot be combined with --play/--record/--echo");
            }
            if (seconds < 0) {
                throw new ParameterException(spec.commandLine(), "--seconds must be 0 or more");
            }
            return password.read(spec, jid, System.getenv(), System.console(), spec.commandLine().getErr());
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
            AccountSettings s = AccountSettings.defaults().withTls(tls, ca).withIncomingCalls(acceptFrom);
            if (server != null) {
                s = s.withServer(server.host(), server.portOr(5222));
            }
            if (stun != null) {
                List<AccountSettings.IceServer> list = List.of(new AccountSettings.IceServer(stun.host(),
                        stun.portOr(3478), null, null, "udp"));
                s = s.withMedia(s.audio(), s.codecs(), list, List.of(), null);
            }
            return s;
        }
    }

    /** {@code --accept-from}: the policy's lower-case names. */
    static final class IncomingCallsConverter implements picocli.CommandLine.ITypeConverter<AccountSettings.IncomingCalls> {
        @Override
        public AccountSettings.IncomingCalls convert(String value) {
            try {
                return AccountSettings.IncomingCalls.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not roster, everyone or nobody");
            }
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

    static Account login(ZoepEngine engine, Options o, String password, AccountListener l, PrintStream out)
            throws Exception {
        Account a = engine.registerAccount(l);
        a.configure(o.settings()).toCompletableFuture().get();
        a.defaultAudio(o.audio()).toCompletableFuture().get();
        Jid bound = a.login(o.jid, password).toCompletableFuture().get(30, TimeUnit.SECONDS);
        a.sendPresence(null).toCompletableFuture().get(10, TimeUnit.SECONDS);
        out.println("online as " + bound);
        return a;
    }

    /**
     * Runs one call to its end, printing a line per second; hangs up {@code seconds} after the call
     * became active (0: never) or when a signal stops the process.
     */
    static CallEnd follow(Call call, Events events, int seconds, HangupOnExit exit, PrintStream out)
            throws Exception {
        long start = System.nanoTime();
        long lastLine = 0;
        boolean hungUp = false;
        long activeSince = 0;
        exit.current(call);
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
            if (now - lastLine > 1_000_000_000L && !end.isDone()) {
                lastLine = now;
                out.println(Progress.line(call, start));
            }
            if (activeSince == 0 && call.state() == CallState.ACTIVE) {
                activeSince = now;
            }
            // talk time: ringing and connecting do not count
            boolean timeUp = seconds > 0 && activeSince != 0
                    && now - activeSince > TimeUnit.SECONDS.toNanos(seconds);
            if ((timeUp || exit.stopping()) && !hungUp && !end.isDone()) {
                Progress.summary(out, "we", call.stats());
                call.hangup();
                hungUp = true;
            }
        }
        CallEnd r = end.get();
        exit.current(null);
        if (exit.stopping() && !hungUp) {
            // the shutdown hook hung up first
            Progress.summary(out, "we", call.stats());
        }
        out.printf("call ended: %s%s — %s%n", r.reason().wireName(), r.isError() ? " (" + r.condition() + ")" : "",
                r.text());
        return r;
    }

    /** {@code zoep call}. */
    @Command(name = "call", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Log in, call a JID, show live quality once a second, print a summary. Ctrl-C hangs up.",
            footer = {"%nExample:", "  ZOEP_PASSWORD=... zoep call --jid alice@example.org --to bob@example.org \\",
                "      --play hello.wav --record heard.wav",
                "%nExit codes: 0 the call ended normally, 1 it failed or ended with an error, 2 bad command "
                    + "line, 130 Ctrl-C (hung up)."})
    static final class Place implements Callable<Integer> {
        @ParentCommand
        Zoep root;

        @Spec
        CommandSpec spec;

        @Option(names = "--to", required = true, paramLabel = "JID", description = "whom to call (a bare JID rings "
                + "every device)")
        Jid to;

        @Mixin
        Options o;

        @Override
        public Integer call() throws Exception {
            String password = o.validate(spec);
            Events events = new Events();
            try (HangupOnExit exit = HangupOnExit.install()) {
                try (ZoepEngine engine = engine(o)) {
                    Account a = login(engine, o, password, events, root.out);
                    Call call = a.call(to, o.audio()).toCompletableFuture().get(10, TimeUnit.SECONDS);
                    root.out.println("calling " + to + " (" + o.audio() + ")");
                    CallEnd end = follow(call, events, o.seconds, exit, root.out);
                    a.logout().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    return exit.stopping() ? Zoep.INTERRUPTED : end.isError() ? Zoep.FAILURE : 0;
                }
            }
        }
    }

    /** {@code zoep answer}. */
    @Command(name = "answer", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Log in and answer calls: play a file, record, or echo what is heard. Ctrl-C hangs up.",
            footer = {"%nExample:", "  zoep answer --jid bot@example.org/echo --password-file bot.pw --echo --calls 3",
                "%nExit codes: 0 done, 1 failed, 2 bad command line, 130 Ctrl-C (hung up)."})
    static final class Answer implements Callable<Integer> {
        @ParentCommand
        Zoep root;

        @Spec
        CommandSpec spec;

        @Option(names = "--calls", paramLabel = "N", defaultValue = "1",
                description = "answer N calls, then log out (default: ${DEFAULT-VALUE})")
        int calls;

        @Option(names = "--echo", description = "say back what is heard")
        boolean echo;

        @Mixin
        Options o;

        @Override
        public Integer call() throws Exception {
            o.echo = echo;
            if (calls < 1) {
                throw new ParameterException(spec.commandLine(), "--calls must be 1 or more");
            }
            String password = o.validate(spec);
            PrintStream out = root.out;
            Events events = new Events();
            try (HangupOnExit exit = HangupOnExit.install()) {
                try (ZoepEngine engine = engine(o)) {
                    Account a = login(engine, o, password, events, out);
                    out.println("waiting for " + calls + " call(s); audio " + o.audio());
                    for (int n = 0; n < calls && !exit.stopping(); n++) {
                        Call call = null;
                        while (call == null && !exit.stopping()) {
                            Object[] e = events.events.poll(200, TimeUnit.MILLISECONDS);
                            if (e != null && ((CallEvent) e[1]).kind() == CallEvent.Kind.INCOMING) {
                                call = (Call) e[0];
                            }
                        }
                        if (call == null) {
                            break;
                        }
                        out.println("incoming call from " + call.peer() + " (" + call.id() + "), answering");
                        call.answer();
                        follow(call, events, o.seconds, exit, out);
                    }
                    a.logout().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    return exit.stopping() ? Zoep.INTERRUPTED : 0;
                }
            }
        }
    }
}
