package org.openzoep.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openzoep.Account;
import org.openzoep.AccountListener;
import org.openzoep.AccountSettings;
import org.openzoep.Call;
import org.openzoep.CallAudio;
import org.openzoep.CallEnd;
import org.openzoep.CallEvent;
import org.openzoep.CallStats;
import org.openzoep.ZoepEngine;
import org.openzoep.media.device.wav.WavSource;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.testkit.StunServer;
import org.openzoep.xmpp.tls.TlsMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code zoep demo}: a real call with nothing to set up. A private Prosody and a STUN server
 * (coturn) start on loopback; alice is driven through the OpenZoep XML stream exactly as the
 * article shows it and calls bob, who uses the typed Java API and answers; a speech sample
 * (espeak-ng) plays through the call over ICE and DTLS-SRTP; bob's side is recorded to a WAV
 * file; the call's quality is printed; alice hangs up and everything is stopped.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"A real call with nothing to set up: starts a private Prosody and a STUN server (coturn) on "
            + "loopback; alice (the OpenZoep XML stream) calls bob (the typed API), who answers; a speech sample "
            + "plays through the call (XEP-0353, Jingle, ICE, DTLS-SRTP, Opus); bob's side is recorded to "
            + "DIR/bob-heard.wav; live quality and a summary are printed; everything is stopped."},
        footer = "%nExit codes: 0 the call worked, 1 it failed (the last line says FAILED or why), 2 bad command line.")
final class CallDemo implements Callable<Integer> {
    @ParentCommand
    Zoep root;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "zoep-demo",
            description = "where the speech sample and the recordings go (default: ${DEFAULT-VALUE})")
    Path dir;

    @Override
    public Integer call() throws Exception {
        return run(dir, root.out);
    }

    static int run(Path dir, PrintStream out) throws Exception {
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        Path speech = dir.resolve("speech.wav").toAbsolutePath();
        speak(speech, "Hello Bob, this is Alice, calling through OpenZoep. The voice travels as Opus over "
                + "ICE and DTLS SRTP, and you are recording it to a file. Goodbye!");
        int speechMillis = (int) (WavSource.open(speech, false).samples().length / 48.0);
        Path bobHeard = dir.resolve("bob-heard.wav").toAbsolutePath();
        Path aliceHeard = dir.resolve("alice-heard.wav").toAbsolutePath();

        out.println("== starting a private Prosody and a STUN server (coturn) on loopback");
        // Ctrl-C: bob hangs up, the engine is closed (closing the recording), then the servers
        try (HangupOnExit exit = HangupOnExit.install();
                ProsodyServer prosody = ProsodyServer.builder().account("alice", "alice-secret")
                .account("bob", "bob-secret").start();
                StunServer stun = StunServer.builder().start();
                ZoepEngine engine = ZoepEngine.builder().mediaAddresses(List.of(InetAddress.getByName("127.0.0.1")))
                        .build()) {
            String domain = prosody.domain();
            out.printf("   XMPP %s:%d (domain %s), STUN %s%n", prosody.host(), prosody.port(), domain, stun.address());

            // bob: the typed API, answers when it rings, records what he hears
            BlockingQueue<Object[]> bobEvents = new LinkedBlockingQueue<>();
            Account bob = engine.registerAccount(new AccountListener() {
                @Override
                public void onCall(Account a, Call call, CallEvent e) {
                    bobEvents.add(new Object[] {call, e});
                }
            });
            AccountSettings s = AccountSettings.defaults().withServer(prosody.host(), prosody.port())
                    .withTls(TlsMode.STARTTLS, prosody.caCertificate())
                    .withIncomingCalls(AccountSettings.IncomingCalls.EVERYONE); // alice is not in bob's roster
            bob.configure(s.withMedia(s.audio(), s.codecs(), List.of(new AccountSettings.IceServer(stun.host(),
                    stun.port(), null, null, "udp")), List.of(), null)).toCompletableFuture().get();
            bob.defaultAudio(CallAudio.files(null, bobHeard)).toCompletableFuture().get();
            Jid bobJid = bob.login(Jid.parse("bob@" + domain + "/Zoep"), "bob-secret").toCompletableFuture()
                    .get(30, TimeUnit.SECONDS);
            bob.sendPresence("typed API").toCompletableFuture().get();
            out.println("== bob is online (typed API) as " + bobJid);

            // alice: the OpenZoep XML stream, as in the article
            BlockingQueue<String> aliceXml = new LinkedBlockingQueue<>();
            Account alice = engine.registerAccount(new AccountListener() {
                @Override
                public void onXml(String xml) {
                    aliceXml.add(xml);
                }
            });
            String[] login = {
                ArticleXml.header(domain),
                ArticleXml.configuration(prosody, "<audio capture='file:" + speech + "' playback='file:" + aliceHeard
                        + "'/><stun host='" + stun.host() + "' port='" + stun.port() + "'/>"),
                ArticleXml.login("alice", "alice-secret"),
            };
            for (String step : login) {
                out.println("alice > " + step);
                alice.write(step);
                out.println("alice < " + take(aliceXml));
            }
            alice.write("<presence/>");
            String id = "phonecall_" + UUID.randomUUID();
            String join = "<voice id='" + id + "' to='" + bobJid + "' type='join'><call_id>show</call_id>"
                    + "<private>yes</private></voice>";
            out.println("alice > " + join);
            long dial = System.nanoTime();
            alice.write(join);

            Call call = null;
            while (call == null) {
                Object[] e = poll(bobEvents);
                CallEvent ev = (CallEvent) e[1];
                if (ev.kind() == CallEvent.Kind.INCOMING) {
                    call = (Call) e[0];
                    out.println("== bob: incoming call from " + call.peer() + ", answering");
                    call.answer();
                    exit.current(call);
                } else if (ev.kind() == CallEvent.Kind.ENDED) {
                    throw new IllegalStateException("the call ended before it rang: " + ev.end());
                }
            }
            String joined = awaitVoice(aliceXml, out, "joined");
            double setupMs = (System.nanoTime() - dial) / 1e6;
            out.printf("== connected in %.0f ms (join to joined: XEP-0353, Jingle, ICE, DTLS-SRTP)%n", setupMs);
            long start = System.nanoTime();
            long until = start + TimeUnit.MILLISECONDS.toNanos(speechMillis + 1500);
            java.util.concurrent.CompletableFuture<CallEnd> ended = call.ended().toCompletableFuture();
            while (System.nanoTime() < until) {
                // a line a second while the speech plays; a call that ends early ends the wait
                try {
                    CallEnd early = exit.stopping() ? null : ended.get(1, TimeUnit.SECONDS);
                    if (exit.stopping()) {
                        out.println("== interrupted: bob hung up; stopping the engine and the servers");
                        return Zoep.INTERRUPTED;
                    }
                    throw new IllegalStateException("the call ended early: " + early.reason().wireName() + " — "
                            + early.text());
                } catch (java.util.concurrent.TimeoutException stillOn) {
                    out.println("   bob  " + Progress.line(call, start));
                    drain(aliceXml, out);
                }
            }
            CallStats heard = call.stats();
            String leave = "<voice id='" + id + "' type='leave'/>";
            out.println("alice > " + leave);
            alice.write(leave);
            awaitVoice(aliceXml, out, "left");
            CallEnd end = ended.get(10, TimeUnit.SECONDS);
            out.println("== bob: call ended: " + end.reason().wireName() + " — " + end.text());

            out.println("== quality");
            Progress.summary(out, "bob", heard);
            // the call's audio stopped before 'ended': every frame bob heard is in the file by now
            long recorded = Files.exists(bobHeard) ? (Files.size(bobHeard) - 44) / 2 : 0;
            out.printf("   bob's side recorded: %.1f s of %.1f s sent, in %s%n", recorded / 48000.0,
                    speechMillis / 1000.0, bobHeard);
            out.printf("   call setup %.0f ms; MOS estimate %.2f%n", setupMs, heard.mos());

            alice.write("</stream:stream>");
            bob.logout().toCompletableFuture().get(10, TimeUnit.SECONDS);
            engine.unregisterAccount(alice);
            engine.unregisterAccount(bob);
            out.println("== stopping the servers");
            boolean ok = !end.isError() && heard.packetsReceived() > 0 && recorded > 0;
            out.printf("== done in %.1f s: %s%n", (System.nanoTime() - t0) / 1e9, ok ? "OK" : "FAILED");
            return ok ? 0 : 1;
        }
    }

    /** Makes the speech sample with espeak-ng (Debian package espeak-ng). */
    static void speak(Path wav, String text) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("espeak-ng", "-s", "150", "-w", wav.toString(), text).redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("espeak-ng is missing (Debian package espeak-ng; scripts/install-deps "
                    + "installs it): " + e.getMessage());
        }
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(wav)) {
            throw new IllegalStateException("espeak-ng failed: " + log);
        }
    }

    private static String awaitVoice(BlockingQueue<String> xml, PrintStream out, String type) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String s = xml.poll(200, TimeUnit.MILLISECONDS);
            if (s == null) {
                continue;
            }
            out.println("alice < " + s);
            if (s.startsWith("<voice") && s.contains("type='error'")) {
                throw new IllegalStateException("the call failed: " + s);
            }
            if (s.startsWith("<voice") && s.contains("type='" + type + "'")) {
                return s;
            }
        }
        throw new IllegalStateException("no <voice type='" + type + "'> within 30 s");
    }

    private static void drain(BlockingQueue<String> xml, PrintStream out) {
        String s;
        while ((s = xml.poll()) != null) {
            out.println("alice < " + s);
        }
    }

    private static Object[] poll(BlockingQueue<Object[]> q) throws InterruptedException {
        Object[] e = q.poll(30, TimeUnit.SECONDS);
        if (e == null) {
            throw new IllegalStateException("bob's phone did not ring within 30 s");
        }
        return e;
    }

    private static String take(BlockingQueue<String> q) throws InterruptedException {
        String s = q.poll(30, TimeUnit.SECONDS);
        if (s == null) {
            throw new IllegalStateException("no answer from the engine within 30 s");
        }
        return s;
    }
}
