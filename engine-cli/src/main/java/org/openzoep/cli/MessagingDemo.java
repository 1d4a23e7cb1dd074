package org.openzoep.cli;

import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openzoep.Account;
import org.openzoep.AccountListener;
import org.openzoep.AccountSettings;
import org.openzoep.ZoepEngine;
import org.openzoep.xmpp.stanza.Jid;
import org.openzoep.xmpp.stanza.Stanza;
import org.openzoep.testkit.ProsodyServer;
import org.openzoep.xmpp.tls.TlsMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code zoep messages}: everything on loopback, nothing to set up. A private Prosody (TLS with a
 * throw-away CA, SCRAM accounts) is started; alice is driven through the OpenZoep XML stream
 * exactly as the article shows it, bob through the typed Java API; they exchange presence and
 * messages and log out; the server is stopped.
 */
@Command(name = "messages", mixinStandardHelpOptions = true,
        description = "The messaging demo: a private Prosody on loopback; alice (the OpenZoep XML stream) and bob "
            + "(the typed API) exchange presence and N messages each way over TLS + SCRAM, and log out.",
        footer = "%nExit codes: 0 done, 1 failed, 2 bad command line.")
final class MessagingDemo implements Callable<Integer> {
    @ParentCommand
    Zoep root;

    @Spec
    CommandSpec spec;

    @Option(names = "--messages", paramLabel = "N", defaultValue = "5",
            description = "messages each way, 1 to 100000 (default: ${DEFAULT-VALUE})")
    int messages;

    @Override
    public Integer call() throws Exception {
        if (messages < 1 || messages > 100_000) {
            throw new ParameterException(spec.commandLine(), "--messages needs a number from 1 to 100000");
        }
        return run(messages, root.out);
    }

    static int run(int messages, PrintStream out) throws Exception {
        long t0 = System.nanoTime();
        out.println("== starting a private Prosody on loopback");
        try (ProsodyServer prosody = ProsodyServer.builder().account("alice", "alice-secret")
                .account("bob", "bob-secret").start();
                ZoepEngine engine = ZoepEngine.builder().build()) {
            out.printf("   %s:%d, domain %s, CA %s%n", prosody.host(), prosody.port(), prosody.domain(),
                    prosody.caCertificate());
            String domain = prosody.domain();

            // bob: the typed API
            BlockingQueue<Stanza> bobInbox = new LinkedBlockingQueue<>();
            Account bob = engine.registerAccount(new AccountListener() {
                @Override
                public void onStanza(Account a, Stanza s) {
                    bobInbox.add(s);
                }
            });
            bob.configure(AccountSettings.defaults().withServer(prosody.host(), prosody.port())
                    .withTls(TlsMode.STARTTLS, prosody.caCertificate())).toCompletableFuture().get();
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
            String[] steps = {
                ArticleXml.header(domain),
                ArticleXml.configuration(prosody, ""),
                "<iq type='get' id='auth1'><query xmlns='jabber:iq:auth'><username>alice</username></query></iq>",
                ArticleXml.login("alice", "alice-secret"),
                "<presence><status>XML API</status></presence>",
            };
            for (String step : steps) {
                out.println("alice > " + step);
                alice.write(step);
                if (!step.startsWith("<presence")) {
                    out.println("alice < " + take(aliceXml));
                }
            }
            for (int i = 1; i <= messages; i++) {
                String xml = "<message to='" + bobJid.bare() + "' type='chat' id='a" + i + "'><body>Hello bob, " + i
                        + "</body></message>";
                out.println("alice > " + xml);
                alice.write(xml);
            }
            int got = 0;
            while (got < messages) {
                Stanza s = bobInbox.poll(30, TimeUnit.SECONDS);
                if (s == null) {
                    throw new IllegalStateException("bob received " + got + " of " + messages + " messages");
                }
                if (s.kind() == Stanza.Kind.MESSAGE && s.body() != null) {
                    got++;
                    out.println("bob   < " + s.body());
                    bob.sendMessage(s.from(), "Hi alice, got " + got).toCompletableFuture().get();
                }
            }
            int replies = 0;
            while (replies < messages) {
                String xml = take(aliceXml);
                out.println("alice < " + xml);
                if (xml.startsWith("<message")) {
                    replies++;
                }
            }
            String logout = "<iq type='set' id='bye'><logout xmlns='http://openzoep.org/protocol/session'/></iq>";
            out.println("alice > " + logout);
            alice.write(logout);
            for (String xml = take(aliceXml); ; xml = take(aliceXml)) {
                out.println("alice < " + xml);
                if (xml.contains("id='bye'")) {
                    break;
                }
            }
            out.println("alice > </stream:stream>");
            alice.write("</stream:stream>");
            out.println("alice < " + take(aliceXml));
            engine.unregisterAccount(alice);
            bob.logout().toCompletableFuture().get(10, TimeUnit.SECONDS);
            engine.unregisterAccount(bob);
            out.printf("== done: %d messages each way over TLS + SCRAM in %.1f s%n", messages,
                    (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    private static String take(BlockingQueue<String> q) throws InterruptedException {
        String s = q.poll(30, TimeUnit.SECONDS);
        if (s == null) {
            throw new IllegalStateException("no answer from the engine within 30 s");
        }
        return s;
    }
}
